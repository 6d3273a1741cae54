"""Writes assets/onnx/ops-mix.onnx and ops-mix-floor.onnx: a tiny image-to-image network (random
weights, fixed seed) built with ONNX's helper API, using the ops and attributes the importer gained
beyond ESRGAN: ceil-mode max pooling, a dilated ConvTranspose, linear and cubic Resize by scales
(pytorch_half_pixel; cubic A -0.5 with exclude_outside), and a classifier-style head
(GlobalAveragePool, Flatten, Gemm with transB, alpha and beta) as a second output. Opset 13.
ops-mix-floor.onnx is the same network with ceil_mode 0, for onnxruntime-web's WebGPU provider, whose
MaxPool refuses ceil_mode ("ceil_mode kernel execution (padding) is not yet implemented in the WebGPU
MaxPool kernel", 1.31.1). The parity tests in packages/nets/src/onnx run both through our executor
and through onnxruntime-web.

Run with Debian's python3-onnx: /usr/bin/python3 tools/onnx/make_ops_net.py
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def const(name, arr):
    return numpy_helper.from_array(np.asarray(arr, dtype=np.float32), name)


def build(ceil_mode):
    rng = np.random.default_rng(23)

    def weights(name, shape, fan_in):
        return const(name, rng.standard_normal(shape) / np.sqrt(fan_in))

    inits = [
        weights("c1_w", [8, 3, 3, 3], 27), const("c1_b", rng.standard_normal(8) * 0.1),
        weights("ct_w", [8, 6, 3, 3], 72), const("ct_b", rng.standard_normal(6) * 0.1),
        weights("c2_w", [3, 6, 3, 3], 54), const("c2_b", rng.standard_normal(3) * 0.1),
        weights("fc_w", [4, 6], 6), const("fc_b", rng.standard_normal(4) * 0.1),
        const("up2", [1, 1, 2, 2]), const("up15", [1, 1, 1.5, 1.5]), const("roi", []),
    ]
    # ORT-Web's WebGPU Conv needs kernel_shape and dilations spelled out (the defaults fail there).
    conv = dict(kernel_shape=[3, 3], dilations=[1, 1], group=1, pads=[1, 1, 1, 1])
    nodes = [
        helper.make_node("Conv", ["x", "c1_w", "c1_b"], ["c1"], **conv),
        helper.make_node("Relu", ["c1"], ["r1"]),
        # 3x3 stride 2 windows; with ceil_mode the last window hangs past the input on these sizes.
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=ceil_mode),
        helper.make_node("Resize", ["p1", "roi", "up2"], ["u1"], mode="linear",
                         coordinate_transformation_mode="pytorch_half_pixel"),
        # Dilation 2, stride 1, pads 2: the same size out.
        helper.make_node("ConvTranspose", ["u1", "ct_w", "ct_b"], ["t1"], dilations=[2, 2], pads=[2, 2, 2, 2],
                         kernel_shape=[3, 3], strides=[1, 1], group=1),
        helper.make_node("Tanh", ["t1"], ["a1"]),
        helper.make_node("Resize", ["a1", "roi", "up15"], ["u2"], mode="cubic", cubic_coeff_a=-0.5,
                         exclude_outside=1, coordinate_transformation_mode="half_pixel"),
        helper.make_node("Conv", ["u2", "c2_w", "c2_b"], ["y"], **conv),
        helper.make_node("GlobalAveragePool", ["a1"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["z"], transB=1, alpha=0.5, beta=2.0),
    ]
    graph = helper.make_graph(
        nodes, "ops-mix",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, "h", "w"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, None, None]),
         helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 4])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_ops_net.py")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


here = os.path.dirname(os.path.abspath(__file__))
for name, ceil_mode in (("ops-mix.onnx", 1), ("ops-mix-floor.onnx", 0)):
    out = os.path.normpath(os.path.join(here, "..", "..", "assets", "onnx", name))
    onnx.save(build(ceil_mode), out)
    print(f"{out}: {os.path.getsize(out)} bytes")
