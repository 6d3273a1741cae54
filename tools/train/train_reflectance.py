"""Trains the four learned reflectance networks on the data tools/train/make-data.sh writes and
exports them as f16 safetensors with the manifest the pix2pixhd backend reads.

  nice -n 10 /usr/bin/python3 tools/train/train_reflectance.py --data <data dir> \
      --out packages/pipeline/models/reflectance [--steps 1000,300,250,250] [--seed 1]

Order as at inference: diffuseAlbedo (UV texture -> albedo) first; the other three are then trained
on *its* predictions (plus the shape normals), so they learn from what they will be fed.
Loss: L1 in the stored [0, 1] encoding, texels of the face cell (the atlas's top-left 2/3 x 2/3, the
part the evaluation scores) weighted 4x. Adam (lr 2e-3, betas 0.5/0.999 as pix2pixHD) with a cosine
decay to 0 over each network's steps (--steps); the last convolution's bias starts at the
targets' mean; batches of 8 random 80x80 crops (the networks are fully
convolutional; crops multiply the samples and their size is a multiple of 2^n_downsampling).
"""

import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch

from pix2pixhd_global import GlobalGenerator, weights_init, write_safetensors

PLANES = 17
# Plane ranges of one sample (tools/src/train/page/training-data.gpu.ts SAMPLE_PLANES).
TEXTURE, SHAPE_NORMALS, VISIBILITY = slice(0, 3), slice(3, 6), slice(6, 7)
TRUTH = {
    "diffuseAlbedo": slice(7, 10),
    "specularAlbedo": slice(10, 11),
    "diffuseNormals": slice(11, 14),
    "specularNormals": slice(14, 17),
}
FILES = {
    "diffuseAlbedo": "diffuse_albedo.safetensors",
    "specularAlbedo": "specular_albedo.safetensors",
    "diffuseNormals": "diffuse_normals.safetensors",
    "specularNormals": "specular_normals.safetensors",
}
INPUTS = {
    "diffuseAlbedo": ["texture"],
    "specularAlbedo": ["diffuseAlbedo"],
    "diffuseNormals": ["diffuseAlbedo", "shapeNormals"],
    "specularNormals": ["diffuseAlbedo", "shapeNormals"],
}
ARCH = {"netG": "global", "ngf": 16, "n_downsampling": 2, "n_blocks": 3, "norm": "batch"}
CROP = 80
BATCH = 8


def load(data_dir):
    index = [json.loads(line) for line in open(os.path.join(data_dir, "index.jsonl"))]
    seen = set()
    rows = []
    for r in index:
        if r["file"] in seen:
            continue
        seen.add(r["file"])
        n = r["uvSize"]
        a = np.fromfile(os.path.join(data_dir, r["file"]), dtype=np.float32).reshape(PLANES, n, n)
        rows.append((r, a))
    return rows


def face_weight(n):
    w = np.ones((1, n, n), np.float32)
    w[:, : 2 * n // 3, : 2 * n // 3] = 4.0
    return torch.from_numpy(w)


def make_net(input_nc, output_nc):
    net = GlobalGenerator(
        input_nc,
        output_nc,
        ngf=ARCH["ngf"],
        n_downsampling=ARCH["n_downsampling"],
        n_blocks=ARCH["n_blocks"],
        norm=ARCH["norm"],
    )
    net.apply(weights_init)
    return net


def train_one(name, x, y, w, steps, seed, log):
    """x, y: [N, C, n, n] in [0, 1]; returns the trained network (eval mode)."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    net = make_net(x.shape[1], y.shape[1])
    # Start from the targets' mean colour: the last convolution's bias at atanh of the mean (in the
    # network's [-1, 1] range), so the first steps are spent on structure rather than on the offset
    # (the normal maps are nearly constant, 0.5, 0.5, 1).
    with torch.no_grad():
        mean = (y.mean((0, 2, 3)) * 2 - 1).clamp(-0.995, 0.995)
        net.model[-2].bias.copy_(torch.atanh(mean))
    opt = torch.optim.Adam(net.parameters(), lr=2e-3, betas=(0.5, 0.999))
    t0 = time.time()
    n = x.shape[-1]
    losses = []
    net.train()
    for step in range(1, steps + 1):
        elapsed = time.time() - t0
        for g in opt.param_groups:
            g["lr"] = 2e-3 * 0.5 * (1 + math.cos(math.pi * (step - 1) / steps))
        idx = [rng.randrange(x.shape[0]) for _ in range(BATCH)]
        ox = [rng.randrange(0, n - CROP + 1, 4) for _ in range(BATCH)]
        oy = [rng.randrange(0, n - CROP + 1, 4) for _ in range(BATCH)]
        xb = torch.stack([x[i, :, b : b + CROP, a : a + CROP] for i, a, b in zip(idx, ox, oy)])
        yb = torch.stack([y[i, :, b : b + CROP, a : a + CROP] for i, a, b in zip(idx, ox, oy)])
        wb = torch.stack([w[:, b : b + CROP, a : a + CROP] for a, b in zip(ox, oy)])
        out = (net(xb * 2 - 1) + 1) / 2
        loss = (wb * (out - yb).abs()).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if step % 50 == 0:
            log(f"{name}: step {step}, {elapsed:.0f} s, L1 {np.mean(losses[-50:]):.4f}")
    net.eval()
    seconds = time.time() - t0
    log(f"{name}: {steps} steps in {seconds:.0f} s, last-50 L1 {np.mean(losses[-50:]):.4f}")
    return net, seconds


@torch.no_grad()
def predict(net, x):
    return torch.cat([(net(x[i : i + 8] * 2 - 1) + 1) / 2 for i in range(0, x.shape[0], 8)])


def export(net, path):
    sd = {k: (v.half() if v.dtype == torch.float32 else v) for k, v in net.state_dict().items()}
    write_safetensors(path, sd, {"format": "pt"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--steps",
        default="1000,300,250,250",
        help="training steps of diffuseAlbedo, specularAlbedo, diffuseNormals, specularNormals",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--holdout", type=int, default=6, help="samples kept out of training, for the log's check")
    a = ap.parse_args()
    steps = dict(zip(["diffuseAlbedo", "specularAlbedo", "diffuseNormals", "specularNormals"], map(int, a.steps.split(","))))
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    log_lines = []

    def log(m):
        print(m, flush=True)
        log_lines.append(m)

    rows = load(a.data)
    # Hold out whole subjects (the last ones), so the check sees faces the networks never saw.
    rows.sort(key=lambda r: (r[0]["subjectSeed"], r[0]["file"]))
    held_seeds = sorted({r[0]["subjectSeed"] for r in rows})[-max(1, a.holdout // 2) :]
    train = [r for r in rows if r[0]["subjectSeed"] not in held_seeds]
    held = [r for r in rows if r[0]["subjectSeed"] in held_seeds]
    log(f"{len(rows)} samples: {len(train)} training, {len(held)} held out (subjects {held_seeds})")
    stack = lambda rs: torch.from_numpy(np.stack([r[1] for r in rs]))
    d_train, d_held = stack(train), stack(held)
    n = d_train.shape[-1]
    w = face_weight(n)

    t_all = time.time()
    nets = {}
    seconds = {}
    nets["diffuseAlbedo"], seconds["diffuseAlbedo"] = train_one(
        "diffuseAlbedo", d_train[:, TEXTURE], d_train[:, TRUTH["diffuseAlbedo"]], w, steps["diffuseAlbedo"], a.seed, log
    )
    albedo_train = predict(nets["diffuseAlbedo"], d_train[:, TEXTURE])
    albedo_held = predict(nets["diffuseAlbedo"], d_held[:, TEXTURE])

    def inputs_of(name, d, albedo):
        parts = {"texture": d[:, TEXTURE], "diffuseAlbedo": albedo, "shapeNormals": d[:, SHAPE_NORMALS]}
        return torch.cat([parts[i] for i in INPUTS[name]], 1)

    for k, name in enumerate(["specularAlbedo", "diffuseNormals", "specularNormals"]):
        nets[name], seconds[name] = train_one(
            name,
            inputs_of(name, d_train, albedo_train),
            d_train[:, TRUTH[name]],
            w,
            steps[name],
            a.seed + 1 + k,
            log,
        )
    train_seconds = time.time() - t_all

    # Held-out check: weighted L1 of each network in the chain vs the trivial answers.
    figures = {}
    wf = w.expand(1, n, n)
    for name, net in nets.items():
        x = inputs_of(name, d_held, albedo_held) if name != "diffuseAlbedo" else d_held[:, TEXTURE]
        y = d_held[:, TRUTH[name]]
        p = predict(net, x)
        face = (wf > 1).expand_as(y[0:1]).expand_as(y)
        figures[name] = {
            "heldOutL1Face": float((p - y).abs()[face].mean()),
            "meanTruthL1Face": float((y.mean((0, 2, 3), keepdim=True) - y).abs()[face].mean()),
        }
        if name == "diffuseAlbedo":
            figures[name]["inputTextureL1Face"] = float((d_held[:, TEXTURE] - y).abs()[face].mean())
        log(f"held out {name}: {figures[name]}")

    manifest = {"format": "avatarme-reflectance-weights", "version": 1, "networks": {}}
    for name, net in nets.items():
        export(net, os.path.join(a.out, FILES[name]))
        entry = {
            "file": FILES[name],
            "architecture": dict(ARCH),
            "inputs": INPUTS[name],
            "patchSize": CROP,
            "inferencePatchSize": 256,
            "normalisation": {"mean": 0.5, "std": 0.5},
            "outputRange": [-1, 1],
        }
        if name == "specularAlbedo":
            entry["output_nc"] = 1
        manifest["networks"][name] = entry
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    with open(os.path.join(a.out, "training-log.json"), "w") as f:
        json.dump(
            {
                "samples": {"training": len(train), "heldOut": len(held), "uvSize": n},
                "steps": steps,
                "secondsPerNetwork": {k: round(v) for k, v in seconds.items()},
                "trainSeconds": round(train_seconds),
                "threads": torch.get_num_threads(),
                "seed": a.seed,
                "heldOut": figures,
                "torch": torch.__version__,
            },
            f,
            indent=2,
        )
        f.write("\n")
    log(f"trained in {train_seconds:.0f} s; wrote {a.out}")


if __name__ == "__main__":
    main()
