import { KernelError } from '@avatarme/kernels/core/errors.ts';
import {
  dilateKernel,
  onnxConv2d,
  onnxConvTranspose2d,
  onnxNearestIndex,
  onnxPad2d,
  onnxPool2d,
  onnxResizeMode,
  oihwToHwio,
  type OnnxAttributes,
} from '@avatarme/kernels/onnx/onnx.ts';
import {
  decodeAttributes,
  decodeTensor,
  int64,
  onnx,
  type OnnxModelProto,
  type OnnxTensor,
} from '@avatarme/kernels/onnx/proto.ts';
import type { BinaryOp } from '@avatarme/kernels';
import type { GraphNode, GraphOp, GraphSpec } from '../ir/spec.ts';

/** An ONNX model lowered onto the IR: activations are NCHW in ONNX and NHWC tensors here. */
export interface OnnxImport {
  spec: GraphSpec;
  /** Channels of each graph input (dim 1 of its NCHW shape), where the model declares them. */
  inputChannels: Record<string, number | undefined>;
  opset: number;
  producer: string;
  /** The model's metadata_props (key → value). */
  metadata: Record<string, string>;
}

export class OnnxImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxImportError';
  }
}

const ACTIVATIONS: Record<string, 'relu' | 'sigmoid' | 'tanh'> = {
  Relu: 'relu',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
};
const BINARY: Record<string, BinaryOp> = {
  Add: 'add',
  Sub: 'sub',
  Mul: 'mul',
  Div: 'div',
  Min: 'min',
  Max: 'max',
};

/**
 * Lowers an ONNX model (the protobuf bytes of a .onnx file) onto the network IR, for image-to-image
 * networks on [N, C, H, W] values: convolutions, transposed convolutions, pads, norms, activations,
 * element-wise ops with per-channel or scalar constants, channel concatenation, pooling (ceil mode
 * too), integer nearest upsampling, linear and cubic resizing by scales, depth-to-space, and a
 * Flatten → Gemm/MatMul head on 1×1 images. The ONNX attributes go through the same translations
 * (@avatarme/kernels/onnx) that ONNX's conformance cases check. The first node that cannot be
 * expressed stops the import with an error naming the node, its op and the attribute.
 */
export function importOnnx(bytes: Uint8Array, file = 'model.onnx'): OnnxImport {
  let model: OnnxModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxImportError(`${file}: not an ONNX model (${(e as Error).message})`);
  }
  const graph = model.graph;
  if (!graph) throw new OnnxImportError(`${file}: the model has no graph`);
  const opsetOf = (domain: string) =>
    int64(model.opsetImport?.find((o) => (o.domain ?? '') === domain)?.version);
  const opset = opsetOf('');
  const constants = new Map<string, OnnxTensor>();
  for (const t of graph.initializer ?? [])
    constants.set(t.name ?? '', decodeTensor(t, `${file}: initializer`));

  const nodes: GraphNode[] = [];
  const inputs: string[] = [];
  const inputChannels: Record<string, number | undefined> = {};
  for (const vi of graph.input ?? []) {
    const name = vi.name ?? '';
    if (constants.has(name)) continue;
    const dims = vi.type?.tensorType?.shape?.dim ?? [];
    if (dims.length !== 4) {
      throw new OnnxImportError(
        `${file}: input "${name}" has rank ${dims.length}; only [N, C, H, W] images are supported`,
      );
    }
    const c = dims[1].dimValue != null && int64(dims[1].dimValue) > 0 ? int64(dims[1].dimValue) : undefined;
    inputChannels[name] = c;
    inputs.push(name);
    nodes.push({ name, op: { kind: 'input', channels: c }, inputs: [], origin: `${file}: input ${name}` });
  }
  const activations = new Set(inputs);

  for (const [index, node] of (graph.node ?? []).entries()) {
    const op = node.opType ?? '';
    const name = node.name || `${op}_${index}`;
    const where = `${file}: node "${name}" (${op})`;
    const fail = (message: string): never => {
      throw new OnnxImportError(`${where}: ${message}`);
    };
    if (node.domain && node.domain !== 'ai.onnx') fail(`domain "${node.domain}" is not supported`);
    const { attrs, tensors } = decodeAttributes(node);
    const ins = (node.input ?? []).map((i) => i ?? '');
    const outs = (node.output ?? []).filter(Boolean);
    const constant = (i: number, what: string): OnnxTensor =>
      constants.get(ins[i]) ?? fail(`${what} (input ${i}, "${ins[i]}") must be a constant`);
    const optionalConstant = (i: number): OnnxTensor | undefined =>
      ins[i] ? (constants.get(ins[i]) ?? fail(`input ${i} ("${ins[i]}") must be a constant`)) : undefined;
    const activation = (i: number): string =>
      activations.has(ins[i])
        ? ins[i]
        : fail(`input ${i} ("${ins[i]}") must be an image value, not a constant`);
    const f32 = (t: OnnxTensor) => Float32Array.from(t.data);
    const emit = (gop: GraphOp, from: string[]) => {
      if (outs.length !== 1) fail(`${outs.length} outputs (only one is supported)`);
      nodes.push({ name: outs[0], op: gop, inputs: from, origin: where });
      activations.add(outs[0]);
    };
    try {
      lowerNode();
    } catch (e) {
      if (e instanceof KernelError) fail(e.message);
      throw e;
    }

    function lowerNode(): void {
      switch (op) {
        case 'Constant': {
          const value = tensors.value ?? fail('only a tensor "value" is supported');
          constants.set(outs[0], value);
          return;
        }
        case 'Identity':
          if (constants.has(ins[0])) constants.set(outs[0], constants.get(ins[0])!);
          else emit({ kind: 'identity' }, [activation(0)]);
          return;
        case 'Conv': {
          const w = constant(1, 'the weights');
          const autoPad = String(attrs.auto_pad ?? 'NOTSET');
          const stride = (attrs.strides as number[] | undefined) ?? [1, 1];
          // SAME padding depends on the input size unless the stride is 1; TF's 'same' is SAME_UPPER.
          if (autoPad === 'SAME_LOWER' && stride.some((s) => s !== 1))
            fail('auto_pad SAME_LOWER with a stride above 1 is not supported');
          const g = onnxConv2d(attrs, [1, w.dims[1] * Number(attrs.group ?? 1), 1, 1], w.dims);
          const [m, cg, kh, kw] = w.dims;
          const bias = optionalConstant(2);
          emit(
            {
              kind: 'conv2d',
              weights: oihwToHwio(f32(w), w.dims),
              weightShape: [kh, kw, cg, m],
              groups: g.groups,
              bias: bias && f32(bias),
              padding: autoPad === 'SAME_UPPER' ? 'same' : g.padding,
              stride: g.stride,
              dilation: g.dilation,
              activation: 'linear',
              beta: 1,
              residual: false,
            },
            [activation(0)],
          );
          return;
        }
        case 'ConvTranspose': {
          const w = constant(1, 'the weights');
          if (attrs.output_shape !== undefined || /^SAME/.test(String(attrs.auto_pad ?? ''))) {
            fail('output_shape and SAME auto_pad depend on the input size and are not supported; give pads');
          }
          const g = onnxConvTranspose2d(attrs, [1, w.dims[0], 1, 1], w.dims);
          const dilated = dilateKernel(f32(w), w.dims, g.kernelDilation);
          const [cin, cout, kh, kw] = dilated.dims;
          const bias = optionalConstant(2);
          emit(
            {
              kind: 'convTranspose2d',
              // IOHW [cin, cout, kh, kw] read as OIHW gives TF's transposed-convolution [kh, kw, cout, cin].
              weights: oihwToHwio(dilated.data, dilated.dims),
              weightShape: [kh, kw, cout, cin],
              bias: bias && f32(bias),
              stride: g.stride,
              padding: g.padding,
              outputPadding: g.outputPadding,
              activation: 'linear',
            },
            [activation(0)],
          );
          return;
        }
        case 'Relu':
        case 'Sigmoid':
        case 'Tanh':
          emit({ kind: 'activation', activation: ACTIVATIONS[op] }, [activation(0)]);
          return;
        case 'LeakyRelu':
          emit({ kind: 'activation', activation: 'leakyRelu', alpha: Number(attrs.alpha ?? 0.01) }, [
            activation(0),
          ]);
          return;
        case 'PRelu': {
          const slope = constant(1, 'the slopes');
          if (slope.data.length === 1) {
            emit({ kind: 'activation', activation: 'leakyRelu', alpha: slope.data[0] }, [activation(0)]);
          } else if (perChannel(slope.dims)) {
            emit({ kind: 'activation', activation: 'prelu', slopes: f32(slope) }, [activation(0)]);
          } else {
            fail(`slopes of shape [${slope.dims.join(', ')}] (only one per channel) are not supported`);
          }
          return;
        }
        case 'Clip': {
          const bound = (i: number, attr: string) =>
            opset >= 11 ? optionalConstant(i)?.data[0] : (attrs[attr] as number | undefined);
          const [lo, hi] = [bound(1, 'min'), bound(2, 'max')];
          if (lo === 0 && hi === 6) emit({ kind: 'activation', activation: 'relu6' }, [activation(0)]);
          else if (lo === 0 && hi === undefined)
            emit({ kind: 'activation', activation: 'relu' }, [activation(0)]);
          else fail(`bounds [${lo}, ${hi}] (only [0, 6] and [0, ∞)) are not supported`);
          return;
        }
        case 'Add':
        case 'Sub':
        case 'Mul':
        case 'Div':
        case 'Min':
        case 'Max': {
          if (ins.length !== 2) fail(`${ins.length} inputs (only 2) are not supported`);
          const [a, b] = [activations.has(ins[0]), activations.has(ins[1])];
          if (a && b) {
            emit(op === 'Add' ? { kind: 'add' } : { kind: 'binary', op: BINARY[op] }, [ins[0], ins[1]]);
            return;
          }
          const ci = a ? 1 : 0;
          if (!a && !['Add', 'Mul', 'Min', 'Max'].includes(op))
            fail('a constant first operand is not supported');
          const c = constant(ci, 'one operand');
          const value = c.data.length === 1 ? c.data[0] : perChannel(c.dims) ? f32(c) : undefined;
          if (value === undefined)
            fail(`a constant of shape [${c.dims.join(', ')}] (only scalars and one value per channel)`);
          emit({ kind: 'binary', op: BINARY[op], constant: value }, [activation(1 - ci)]);
          return;
        }
        case 'Concat': {
          const axis = Number(attrs.axis);
          if (axis !== 1 && axis !== -3) fail(`axis ${axis} (only the channel axis 1) is not supported`);
          emit(
            { kind: 'concat' },
            ins.map((_, i) => activation(i)),
          );
          return;
        }
        case 'InstanceNormalization': {
          const [scale, bias] = [constant(1, 'the scale'), constant(2, 'the bias')];
          const eps = Number(attrs.epsilon ?? 1e-5);
          const x = activation(0);
          const plain = scale.data.every((v) => v === 1) && bias.data.every((v) => v === 0);
          if (plain) {
            emit({ kind: 'instanceNorm', eps, activation: 'linear' }, [x]);
            return;
          }
          // The IR's instance norm has no affine parameters: apply them as per-channel constants.
          const [n1, n2] = [`${outs[0]}/normalised`, `${outs[0]}/scaled`];
          nodes.push({
            name: n1,
            op: { kind: 'instanceNorm', eps, activation: 'linear' },
            inputs: [x],
            origin: where,
          });
          nodes.push({
            name: n2,
            op: { kind: 'binary', op: 'mul', constant: f32(scale) },
            inputs: [n1],
            origin: where,
          });
          emit({ kind: 'binary', op: 'add', constant: f32(bias) }, [n2]);
          return;
        }
        case 'BatchNormalization': {
          if (Number(attrs.training_mode ?? 0) !== 0 || outs.length > 1)
            fail('training mode is not supported');
          const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => f32(constant(i, `input ${i}`)));
          emit(
            {
              kind: 'batchNorm',
              params: { gamma, beta, mean, variance, eps: Number(attrs.epsilon ?? 1e-5) },
            },
            [activation(0)],
          );
          return;
        }
        case 'Pad': {
          const pads = opset >= 11 ? [...constant(1, 'the pads').data] : ((attrs.pads as number[]) ?? []);
          const value = opset >= 11 ? (optionalConstant(2)?.data[0] ?? 0) : Number(attrs.value ?? 0);
          const p = onnxPad2d(attrs, [1, 1, 1, 1], pads, value);
          if (p.mode === 'replicate') fail('mode "edge" is not supported by the IR');
          if (p.value !== undefined) fail(`constant_value ${p.value} is not supported by the IR (only 0)`);
          emit({ kind: 'pad', pads: p.pads, mode: p.mode as 'zero' | 'reflect' }, [activation(0)]);
          return;
        }
        case 'MaxPool':
        case 'AveragePool': {
          const ceilMode = Number(attrs.ceil_mode ?? 0) !== 0;
          if (ceilMode && op === 'AveragePool' && Number(attrs.count_include_pad ?? 0) !== 0)
            fail('ceil_mode 1 with count_include_pad 1 is not supported');
          if (outs.length > 1) fail('the Indices output is not supported');
          const same = String(attrs.auto_pad ?? 'NOTSET');
          if (same === 'SAME_LOWER') fail('auto_pad SAME_LOWER is not supported');
          // Ceil mode's extra padding depends on the input size: the IR adds it per run (poolPadding).
          const o = onnxPool2d(
            op,
            { ...attrs, ceil_mode: 0, ...(same === 'SAME_UPPER' ? { auto_pad: 'VALID' } : {}) },
            [1, 1, 1, 1],
          );
          const kernel = o.kernel as [number, number];
          const stride = o.stride as [number, number];
          emit(
            {
              kind: 'pool2d',
              mode: o.mode,
              kernel,
              stride,
              padding: same === 'SAME_UPPER' ? 'same' : o.padding!,
              countIncludePad: o.countIncludePad,
              ...(ceilMode ? { ceilMode } : {}),
            },
            [activation(0)],
          );
          return;
        }
        case 'Flatten':
          if (Number(attrs.axis ?? 1) !== 1) fail(`axis ${attrs.axis} (only 1) is not supported`);
          emit({ kind: 'flatten' }, [activation(0)]);
          return;
        case 'GlobalAveragePool':
          emit({ kind: 'mean', keepDims: true }, [activation(0)]);
          return;
        case 'DepthToSpace': {
          const mode = String(attrs.mode ?? 'DCR');
          if (mode !== 'DCR' && mode !== 'CRD') fail(`mode "${mode}" is not supported`);
          emit({ kind: 'depthToSpace', block: Number(attrs.blocksize), mode: mode as 'DCR' | 'CRD' }, [
            activation(0),
          ]);
          return;
        }
        case 'Resize':
        case 'Upsample': {
          const m = onnxResizeMode(
            op === 'Upsample' ? { ...attrs, coordinate_transformation_mode: 'asymmetric' } : attrs,
          );
          if (m.mode === 'nearest') {
            const factor = nearestFactor(op, attrs, ins, constants, opset);
            if (typeof factor === 'string') fail(factor);
            emit({ kind: 'upsampleNearest', factor: factor as number }, [activation(0)]);
            return;
          }
          const scale = resizeScales(op, ins, constants, opset);
          if (typeof scale === 'string') fail(scale);
          emit({ kind: 'resize', scale: scale as [number, number], ...m }, [activation(0)]);
          return;
        }
        case 'MatMul':
        case 'Gemm': {
          // B is a constant of the model: transposing and scaling it is weight preparation, and the
          // product runs as the IR's matmul (a 1×1 convolution on a rank-2 value).
          if (Number(attrs.transA ?? 0) !== 0) fail('transA 1 (A is an activation) is not supported');
          const b = constant(1, 'B');
          if (b.dims.length !== 2) fail(`B of shape [${b.dims.join(', ')}] (only a matrix) is not supported`);
          const transB = Number(attrs.transB ?? 0) === 1;
          const [k, n] = transB ? [b.dims[1], b.dims[0]] : b.dims;
          const alpha = op === 'Gemm' ? Number(attrs.alpha ?? 1) : 1;
          const weights = new Float32Array(k * n);
          for (let i = 0; i < k; i++)
            for (let j = 0; j < n; j++) weights[i * n + j] = alpha * b.data[transB ? j * k + i : i * n + j];
          const c = op === 'Gemm' ? optionalConstant(2) : undefined;
          let bias: Float32Array | undefined;
          if (c) {
            if (c.data.length !== 1 && c.data.length !== n)
              fail(
                `C of shape [${c.dims.join(', ')}] (only a scalar or one value per output) is not supported`,
              );
            const beta = Number(attrs.beta ?? 1);
            bias = Float32Array.from({ length: n }, (_, j) => beta * c.data[c.data.length === 1 ? 0 : j]);
          }
          emit({ kind: 'matmul', weights, weightShape: [k, n], bias, activation: 'linear' }, [activation(0)]);
          return;
        }
        default:
          fail('the op is not supported');
      }
    }
  }

  const outputs = (graph.output ?? []).map((o) => o.name ?? '');
  for (const o of outputs) {
    if (!activations.has(o))
      throw new OnnxImportError(`${file}: output "${o}" is not computed from the image inputs`);
  }
  const metadata: Record<string, string> = {};
  for (const p of model.metadataProps ?? []) metadata[p.key ?? ''] = p.value ?? '';
  return {
    spec: { nodes, inputs, outputs },
    inputChannels,
    opset,
    producer: model.producerName ?? '',
    metadata,
  };
}

/** [C, 1, 1] or [1, C, 1, 1]: one value per channel under numpy broadcasting against [N, C, H, W]. */
function perChannel(dims: readonly number[]): boolean {
  const [c1, h, w] = dims.slice(-3);
  return (dims.length === 3 || (dims.length === 4 && dims[0] === 1)) && c1 > 0 && h === 1 && w === 1;
}

/** The [y, x] scales of a linear or cubic Resize/Upsample, a constant with N and C at 1, or the reason. */
function resizeScales(
  op: string,
  ins: string[],
  constants: Map<string, OnnxTensor>,
  opset: number,
): [number, number] | string {
  if (op === 'Resize' && opset >= 11 && ins[3]) return 'sizes depend on the input size; give scales';
  const scales = constants.get((op === 'Upsample' || opset < 11 ? ins[1] : ins[2]) ?? '')?.data;
  if (!scales || scales.length !== 4) return 'scales must be a constant with 4 entries';
  if (scales[0] !== 1 || scales[1] !== 1)
    return `scales [${[...scales].join(', ')}] resize N or C, which is not supported`;
  return [scales[2], scales[3]];
}

/**
 * Resize/Upsample by one integer factor on H and W whose nearest pixels are floor(d / factor) — what
 * nn.Upsample(mode='nearest') and Keras UpSampling2D export to — or the reason it is not that.
 */
function nearestFactor(
  op: string,
  attrs: OnnxAttributes,
  ins: string[],
  constants: Map<string, OnnxTensor>,
  opset: number,
): number | string {
  const mode = String(attrs.mode ?? 'nearest');
  if (mode !== 'nearest') return `mode "${mode}" is not supported (only nearest by an integer factor)`;
  const scalesName = op === 'Upsample' || opset < 11 ? ins[1] : ins[2];
  if (op === 'Resize' && opset >= 11 && ins[3]) return 'sizes depend on the input size; give scales';
  const scales = constants.get(scalesName ?? '')?.data;
  if (!scales || scales.length !== 4) return 'scales must be a constant with 4 entries';
  const s = scales[2];
  if (scales[0] !== 1 || scales[1] !== 1 || scales[3] !== s || !Number.isInteger(s) || s < 1) {
    return `scales [${[...scales].join(', ')}] (only an integer factor on H and W) are not supported`;
  }
  const ctm = String(
    attrs.coordinate_transformation_mode ?? (op === 'Upsample' ? 'asymmetric' : 'half_pixel'),
  );
  const rounding = String(attrs.nearest_mode ?? (op === 'Upsample' ? 'floor' : 'round_prefer_floor'));
  // The index pattern repeats every input pixel: a few pixels decide it for any size.
  for (let n = 1; n <= 4; n++) {
    for (let d = 0; d < n * s; d++) {
      if (onnxNearestIndex(d, n, n * s, s, ctm, rounding) !== Math.floor(d / s)) {
        return `nearest_mode "${rounding}" with "${ctm}" does not repeat each pixel ${s}×`;
      }
    }
  }
  return s;
}
