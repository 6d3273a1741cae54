"""Writes assets/onnx/reflectance-tiny-3to3.onnx and reflectance-tiny-6to3.onnx: tiny image-to-image
networks (random weights, fixed seed) with the contract of the AvatarMe reflectance networks, built
with ONNX's helper API:

- input "x" [1, C, H, W] float32, C = 3 (texture or diffuse albedo) or 6 (diffuse albedo then shape
  normals), values on [-1, 1] (the stored [0, 1] maps normalised with mean 0.5, std 0.5);
- output "y" [1, 3, H, W] float32 on [-1, 1] (tanh), H and W the input's (even sides: one stride-2
  level).

A small U: 3x3 conv, a stride-2 3x3 conv, a 4x4 stride-2 ConvTranspose back up, a skip Add and a 3x3
conv to 3 channels. No normalisation over the image (no InstanceNormalization), so a tiled run with a
context margin wider than the receptive field (+-6 texels) equals a whole-image run: the learned
reflectance tests compare our tiled run with onnxruntime-web on the whole map. The metadata says the
ranges (input_range, output_range "-1,1"), which the reflectance loader checks against the manifest.

Run with Debian's python3-onnx: /usr/bin/python3 tools/onnx/make_reflectance_net.py
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN = 4


def const(name, arr):
    return numpy_helper.from_array(np.asarray(arr, dtype=np.float32), name)


def build(in_channels, seed):
    rng = np.random.default_rng(seed)

    def weights(name, shape, fan_in):
        return const(name, rng.standard_normal(shape) / np.sqrt(fan_in))

    h = HIDDEN
    inits = [
        weights("in_w", [h, in_channels, 3, 3], 9 * in_channels), const("in_b", rng.standard_normal(h) * 0.1),
        weights("down_w", [h, h, 3, 3], 9 * h), const("down_b", rng.standard_normal(h) * 0.1),
        weights("up_w", [h, h, 4, 4], 4 * h), const("up_b", rng.standard_normal(h) * 0.1),
        weights("out_w", [3, h, 3, 3], 9 * h), const("out_b", rng.standard_normal(3) * 0.1),
    ]
    conv = dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    nodes = [
        helper.make_node("Conv", ["x", "in_w", "in_b"], ["c_in"], **conv),
        helper.make_node("Relu", ["c_in"], ["a"]),
        helper.make_node("Conv", ["a", "down_w", "down_b"], ["c_down"], strides=[2, 2], **conv),
        helper.make_node("Relu", ["c_down"], ["b"]),
        # (h/2 - 1)·2 − 2 + 4 = h: back to the input's size.
        helper.make_node("ConvTranspose", ["b", "up_w", "up_b"], ["c"], kernel_shape=[4, 4], strides=[2, 2],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["a", "c"], ["skip"]),
        helper.make_node("Relu", ["skip"], ["d"]),
        helper.make_node("Conv", ["d", "out_w", "out_b"], ["c_out"], **conv),
        helper.make_node("Tanh", ["c_out"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, f"reflectance-tiny-{in_channels}to3",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, in_channels, "h", "w"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, "h", "w"])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="make_reflectance_net.py")
    model.ir_version = 7
    helper.set_model_props(model, {"input_range": "-1,1", "output_range": "-1,1"})
    onnx.checker.check_model(model)
    return model


here = os.path.dirname(os.path.abspath(__file__))
for in_channels, seed in ((3, 31), (6, 37)):
    out = os.path.normpath(os.path.join(here, "..", "..", "assets", "onnx", f"reflectance-tiny-{in_channels}to3.onnx"))
    onnx.save(build(in_channels, seed), out)
    print(f"{out}: {os.path.getsize(out)} bytes")
