"""The shipped reflectance networks' PyTorch outputs on a fixed input, for the executor's parity test
(packages/pipeline/src/reflectance/learned/shipped.test.ts).

  /usr/bin/python3 tools/train/parity_fixture.py --weights packages/pipeline/models/reflectance \
      --sample <data dir>/<file>.f32 --out packages/pipeline/src/reflectance/learned/fixtures/shipped-parity.json

Input: a 32x32 crop (top-left corner 40, 40: cheek and nose) of one training-data sample's UV texture
and shape normals. The chain runs as at inference (runReflectanceNetworks): diffuse albedo from the
texture, the others from that prediction and the shape normals; every map HWC in [0, 1], the shape
normals in [-1, 1] as the pipeline passes them. The weights are the shipped f16 values, computed in f32.
"""

import argparse
import base64
import json
import os

import numpy as np
import torch

from pix2pixhd_global import GlobalGenerator, read_safetensors

SIZE = 32
AT = 40


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", required=True)
    ap.add_argument("--sample", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.set_num_threads(1)
    manifest = json.load(open(os.path.join(a.weights, "manifest.json")))
    raw = np.fromfile(a.sample, dtype=np.float32)
    n = int(round((raw.size / 17) ** 0.5))
    planes = torch.from_numpy(raw.reshape(17, n, n)[:, AT : AT + SIZE, AT : AT + SIZE].copy())
    maps = {"texture": planes[0:3][None], "shapeNormals": planes[3:6][None]}
    outputs = {}
    for name in ["diffuseAlbedo", "specularAlbedo", "diffuseNormals", "specularNormals"]:
        e = manifest["networks"][name]
        arch = e["architecture"]
        out_nc = e.get("output_nc", 3)
        in_nc = 3 * len(e["inputs"])
        net = GlobalGenerator(in_nc, out_nc, arch["ngf"], arch["n_downsampling"], arch["n_blocks"], arch["norm"])
        sd = read_safetensors(os.path.join(a.weights, e["file"]))
        net.load_state_dict({k: (v.float() if v.is_floating_point() else v) for k, v in sd.items()})
        net.eval()
        with torch.no_grad():
            x = torch.cat([maps[i] for i in e["inputs"]], 1)
            y = (net(x * 2 - 1) + 1) / 2
        if name == "diffuseAlbedo":
            maps["diffuseAlbedo"] = y
        outputs[name] = {"channels": out_nc, "data": b64(y[0].permute(1, 2, 0).numpy())}
    fixture = {
        "what": __doc__.strip().splitlines()[0],
        "sample": os.path.basename(a.sample),
        "crop": [AT, AT, SIZE],
        "size": SIZE,
        "texture": b64(maps["texture"][0].permute(1, 2, 0).numpy()),
        "shapeNormals": b64((maps["shapeNormals"][0].permute(1, 2, 0).numpy()) * 2 - 1),
        "outputs": outputs,
    }
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(fixture, f)
        f.write("\n")


if __name__ == "__main__":
    main()
