"""Writes ONNX's backend node test cases for the ops the kernels implement into onnx-node-cases.json.gz.

Run with Debian's python3-onnx: /usr/bin/python3 packages/kernels/conformance/generate.py
Each case keeps ONNX's own serialised protobufs (the one-node model, the input and expected output
TensorProtos), base64-encoded, so the runner decodes exactly what ONNX wrote.
"""

import base64
import gzip
import json
import os
import sys

import numpy as np

# Debian's numpy 1.24 removed these aliases; onnx 1.12's case generators still use them.
for alias, value in (("float", float), ("int", int), ("bool", bool), ("object", object)):
    if alias not in np.__dict__:
        setattr(np, alias, value)

import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402
from onnx.backend.test.case.node import collect_testcases  # noqa: E402

OPS = [
    "Conv", "ConvTranspose", "Resize", "AveragePool", "MaxPool", "GlobalAveragePool",
    "InstanceNormalization", "BatchNormalization", "DepthToSpace", "Softmax", "Concat", "Pad",
    "Add", "Sub", "Mul", "Div", "Min", "Max", "Sum", "Relu", "LeakyRelu", "PRelu", "Sigmoid",
    "Tanh", "Exp", "Abs", "Neg", "Sqrt", "Clip", "MatMul", "Gemm",
]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def main() -> None:
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx-node-cases.json.gz")
    cases = []
    # An empty op type collects every node case (the generator modules are imported only once).
    for case in collect_testcases(""):
        # *_expanded cases run the op's function body (other ops), not the op itself.
        if case.name.endswith("_expanded"):
            continue
        model = case.model
        op = model.graph.node[0].op_type
        if len(model.graph.node) != 1 or op not in OPS:
            continue
        graph_inputs = [i.name for i in model.graph.input]
        graph_outputs = [o.name for o in model.graph.output]
        for inputs, outputs in case.data_sets:
            cases.append({
                "name": case.name,
                "op": op,
                "model": b64(model.SerializeToString()),
                "inputs": [b64(numpy_helper.from_array(np.asarray(a), n).SerializeToString())
                           for a, n in zip(inputs, graph_inputs)],
                "outputs": [b64(numpy_helper.from_array(np.asarray(a), n).SerializeToString())
                            for a, n in zip(outputs, graph_outputs)],
            })
    doc = {
        "source": f"ONNX {onnx.__version__} backend node test cases (onnx.backend.test.case.node), Apache-2.0",
        "cases": cases,
    }
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(doc, f, separators=(",", ":"))
    print(f"{len(cases)} cases → {out} ({os.path.getsize(out)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
