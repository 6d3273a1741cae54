"""Exports an UpscalerJS ESRGAN (a TF.js layers model of the npm packages) to ONNX through PyTorch.

    /usr/bin/python3 tools/onnx/export_esrgan.py [--model esrgan-slim] [--scale 2] [--out FILE]

The Keras topology in model.json is rebuilt layer by layer as torch modules (Conv2D 'same' with stride 1
as a symmetric zero pad, Concatenate on the channel axis, Add, ReLU, UpSampling2D nearest), the weights
are read from the shards and transposed from HWIO to PyTorch's OIHW, and torch.onnx.export writes the
graph with dynamic height and width: an independent exporter, so the ONNX file is what a PyTorch user
would have. The network takes and gives NCHW pixels in the model's range ([0, 255] for the RDN models).
"""

import argparse
import json
import os

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_weights(model_dir: str, manifest: list) -> dict:
    weights = {}
    for group in manifest:
        data = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            if w["dtype"] != "float32":
                raise SystemExit(f"{w['name']}: dtype {w['dtype']} is not handled")
            count = int(np.prod(w["shape"]))
            weights[w["name"]] = np.frombuffer(data, "<f4", count, offset).reshape(w["shape"])
            offset += 4 * count
    return weights


class KerasGraph(nn.Module):
    def __init__(self, layers: list, weights: dict):
        super().__init__()
        self.layers = layers
        self.convs = nn.ModuleDict()
        for layer in layers:
            if layer["class_name"] != "Conv2D":
                continue
            c = layer["config"]
            name = layer["name"]
            kernel = weights[f"{name}/kernel"]
            kh, kw, cin, cout = kernel.shape
            if c["strides"] != [1, 1] or c.get("dilation_rate", [1, 1]) != [1, 1] or kh % 2 == 0 or kw % 2 == 0:
                raise SystemExit(f"{name}: only stride 1, no dilation and odd kernels are handled")
            pad = (kh // 2, kw // 2) if c["padding"] == "same" else (0, 0)
            conv = nn.Conv2d(cin, cout, (kh, kw), padding=pad, bias=c["use_bias"])
            conv.weight.data = torch.from_numpy(kernel.transpose(3, 2, 0, 1).copy())
            if c["use_bias"]:
                conv.bias.data = torch.from_numpy(weights[f"{name}/bias"].copy())
            self.convs[name.replace("/", "_")] = conv

    def activation(self, name: str, x: torch.Tensor) -> torch.Tensor:
        if name == "linear":
            return x
        if name == "relu":
            return F.relu(x)
        raise SystemExit(f"activation {name} is not handled")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        values = {}
        for layer in self.layers:
            kind, name, c = layer["class_name"], layer["name"], layer["config"]
            inputs = [values[i[0]] for i in layer["inbound_nodes"][0]] if layer["inbound_nodes"] else []
            if kind == "InputLayer":
                y = x
            elif kind == "Conv2D":
                y = self.activation(c["activation"], self.convs[name.replace("/", "_")](inputs[0]))
            elif kind == "Activation":
                y = self.activation(c["activation"], inputs[0])
            elif kind == "Concatenate":
                y = torch.cat(inputs, dim=1)
            elif kind == "Add":
                y = inputs[0]
                for other in inputs[1:]:
                    y = y + other
            elif kind == "UpSampling2D" and c.get("interpolation", "nearest") == "nearest":
                y = F.interpolate(inputs[0], scale_factor=tuple(float(s) for s in c["size"]), mode="nearest")
            else:
                raise SystemExit(f"{name}: layer {kind} is not handled")
            values[name] = y
        return values[self.layers[-1]["name"]]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="esrgan-slim")
    ap.add_argument("--scale", type=int, default=2)
    ap.add_argument("--out")
    args = ap.parse_args()
    model_dir = os.path.join(ROOT, "node_modules", "@upscalerjs", args.model, "models", f"x{args.scale}")
    doc = json.load(open(os.path.join(model_dir, "model.json")))
    layers = doc["modelTopology"]["model_config"]["config"]["layers"]
    net = KerasGraph(layers, load_weights(model_dir, doc["weightsManifest"])).eval()
    out = args.out or os.path.join(ROOT, "assets", "onnx", f"{args.model}-x{args.scale}.onnx")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    example = torch.rand(1, 3, 8, 8) * 255
    torch.onnx.export(
        net, example, out, opset_version=13, input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {2: "height", 3: "width"}, "output": {2: "out_height", 3: "out_width"}},
    )
    # The value ranges the weights were trained for (UpscalerJS: [0, 255] for RDN, [0, 1] for RRDN),
    # kept in the file so a runner scales pixels right without knowing the model.
    rng = "0,1" if args.model == "esrgan-thick" else "0,255"
    for alias, value in (("float", float), ("int", int), ("bool", bool), ("object", object)):
        if alias not in np.__dict__:
            setattr(np, alias, value)
    import onnx

    m = onnx.load(out)
    for key, value in (("input_range", rng), ("output_range", rng), ("scale", str(args.scale)),
                       ("source", f"@upscalerjs/{args.model} x{args.scale} (MIT), exported by tools/onnx/export_esrgan.py")):
        m.metadata_props.add(key=key, value=value)
    onnx.checker.check_model(m)
    onnx.save(m, out)
    print(f"{out}: {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()
