// The pure geometry module, not the package root: Node-side tools (the bench, the CLI) load this file
// through tsx, which cannot load the WGSL behind the root.
import {
  convOutputSize,
  convTransposeOutputSize,
  resolvePadding,
  type ConvGeometry,
} from '@avatarme/kernels/conv/geometry.ts';
import { ceilModeExtraPads } from '@avatarme/kernels/pool/ceil-mode.ts';
import type { Shape4 } from '@avatarme/kernels';
import type { GraphNode, GraphOp, GraphSpec } from './spec.ts';

export class GraphError extends Error {
  constructor(node: GraphNode | undefined, message: string) {
    super(node ? `${node.origin ?? `node ${node.name}`}: ${message}` : message);
    this.name = 'GraphError';
  }
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
const same = (a: readonly number[], b: readonly number[]) => fmt(a) === fmt(b);

/** The output height and width of a resize node on h × w. */
export function resizedSize(
  op: Extract<GraphOp, { kind: 'resize' }>,
  h: number,
  w: number,
): [number, number] {
  return [Math.floor(h * op.scale[0]), Math.floor(w * op.scale[1])];
}

/** A pooling node's [top, bottom, left, right] padding on h × w, with ceil mode's partial window as end padding. */
export function poolPadding(
  op: Extract<GraphOp, { kind: 'pool2d' }>,
  h: number,
  w: number,
): [number, number, number, number] {
  const g = geometry(op.kernel[0], op.kernel[1], op.stride);
  const pads = resolvePadding(op.padding, h, w, g);
  if (!op.ceilMode) return pads;
  const [eb, er] = ceilModeExtraPads([h, w], op.kernel, op.stride, pads);
  return [pads[0], pads[1] + eb, pads[2], pads[3] + er];
}

/** TF shape (rank ≤ 4) → NHWC: the last axis is always the channel axis, order is kept. */
export function toNhwc(shape: readonly number[]): Shape4 {
  switch (shape.length) {
    case 0:
      return [1, 1, 1, 1];
    case 1:
      return [1, 1, 1, shape[0]];
    case 2:
      return [shape[0], 1, 1, shape[1]];
    case 3:
      return [shape[0], 1, shape[1], shape[2]];
    case 4:
      return [shape[0], shape[1], shape[2], shape[3]];
    default:
      throw new Error(`shape [${shape.join(', ')}] has rank above 4`);
  }
}

/** Inverse of toNhwc for a tensor known to hold a rank-`rank` value. */
export function tfShapeOf(shape: Shape4, rank: number): number[] {
  const [n, h, w, c] = shape;
  switch (rank) {
    case 0:
      return [];
    case 1:
      return [c];
    case 2:
      return [n, c];
    case 3:
      return [n, w, c];
    default:
      return [n, h, w, c];
  }
}

/** A value as the executor holds it: the NHWC tensor shape and the TF rank it stands for. */
export interface ValueInfo {
  shape: Shape4;
  rank: number;
}

const geometry = (kh: number, kw: number, stride: number[], dilation = [1, 1]): ConvGeometry => ({
  kh,
  kw,
  strideY: stride[0],
  strideX: stride[1],
  dilationY: dilation[0],
  dilationX: dilation[1],
});

/** The output of one node from its inputs; throws naming the node when they do not fit. */
export function nodeOutput(node: GraphNode, inputs: ValueInfo[]): ValueInfo {
  const { op } = node;
  const x = inputs[0]?.shape;
  const rank = inputs[0]?.rank ?? 4;
  const keep = (shape: Shape4, r = rank): ValueInfo => ({ shape, rank: r });
  const fail = (message: string): never => {
    throw new GraphError(node, message);
  };
  switch (op.kind) {
    case 'input':
      return fail('input nodes have no inputs');
    case 'conv2d': {
      const [kh, kw, groupIn, cout] = op.weightShape;
      const cin = groupIn * (op.groups ?? 1);
      if (x[3] !== cin)
        fail(`input ${fmt(x)} has ${x[3]} channels, kernel ${fmt(op.weightShape)} expects ${cin}`);
      const g = geometry(kh, kw, op.stride, op.dilation);
      const pads = resolvePadding(op.padding, x[1], x[2], g);
      const [oh, ow] = convOutputSize(op.kind, x[1], x[2], pads, g);
      const out: Shape4 = [x[0], oh, ow, cout];
      if (op.residual && !same(inputs[1].shape, out))
        fail(`residual ${fmt(inputs[1].shape)} does not match output ${fmt(out)}`);
      return keep(out, 4);
    }
    case 'convTranspose2d': {
      const [kh, kw, cout, cin] = op.weightShape;
      if (x[3] !== cin)
        fail(`input ${fmt(x)} has ${x[3]} channels, kernel ${fmt(op.weightShape)} expects ${cin}`);
      const [pt, pb, pl, pr] = op.padding;
      const oh = convTransposeOutputSize(x[1], kh, op.stride[0], pt, pb, op.outputPadding[0]);
      const ow = convTransposeOutputSize(x[2], kw, op.stride[1], pl, pr, op.outputPadding[1]);
      if (oh <= 0 || ow <= 0) fail(`input ${fmt(x)} gives an empty output ${oh}×${ow}`);
      return keep([x[0], oh, ow, cout], 4);
    }
    case 'matmul': {
      const [k, m] = op.weightShape;
      if (rank !== 2) fail(`matmul input must be rank 2, got rank ${rank}`);
      if (x[3] !== k) fail(`input ${fmt(tfShapeOf(x, rank))} does not fit weights ${fmt(op.weightShape)}`);
      return keep([x[0], 1, 1, m], 2);
    }
    case 'activation':
    case 'scale':
    case 'softmax':
    case 'instanceNorm':
    case 'batchNorm':
    case 'identity':
      return keep([...x]);
    case 'binary':
      // The second value broadcasts into the first (the kernel names both shapes when it cannot).
      return keep([...x], Math.max(...inputs.map((v) => v.rank)));
    case 'add':
      for (const v of inputs) if (!same(v.shape, x)) fail(`cannot add ${fmt(x)} and ${fmt(v.shape)}`);
      return keep([...x]);
    case 'concat': {
      if (inputs.some((v) => v.rank !== rank)) fail('inputs differ in rank');
      if (op.axis !== undefined && op.axis !== -1 && op.axis !== rank - 1)
        fail(`concatenation along axis ${op.axis} of rank-${rank} values is not supported (last axis only)`);
      for (const { shape: s } of inputs)
        if (s[0] !== x[0] || s[1] !== x[1] || s[2] !== x[2])
          fail(`cannot concatenate ${inputs.map((v) => fmt(v.shape)).join(', ')} along channels`);
      return keep([x[0], x[1], x[2], inputs.reduce((c, v) => c + v.shape[3], 0)]);
    }
    case 'upsampleNearest':
      return keep([x[0], x[1] * op.factor, x[2] * op.factor, x[3]]);
    case 'resize': {
      const [oh, ow] = resizedSize(op, x[1], x[2]);
      if (oh < 1 || ow < 1) fail(`scales [${op.scale.join(', ')}] give an empty output from ${fmt(x)}`);
      return keep([x[0], oh, ow, x[3]], 4);
    }
    case 'depthToSpace': {
      const b2 = op.block * op.block;
      if (x[3] % b2 !== 0)
        fail(`depthToSpace block ${op.block}: ${x[3]} channels are not a multiple of ${b2}`);
      return keep([x[0], x[1] * op.block, x[2] * op.block, x[3] / b2]);
    }
    case 'pool2d': {
      const g = geometry(op.kernel[0], op.kernel[1], op.stride);
      const pads = poolPadding(op, x[1], x[2]);
      const [oh, ow] = convOutputSize(op.kind, x[1], x[2], pads, g);
      return keep([x[0], oh, ow, x[3]], 4);
    }
    case 'pad': {
      const [t, b, l, r] = op.pads;
      return keep([x[0], x[1] + t + b, x[2] + l + r, x[3]]);
    }
    case 'padChannels':
      return keep([x[0], x[1], x[2], x[3] + op.after]);
    case 'flatten':
      if (rank !== 4 || x[1] !== 1 || x[2] !== 1)
        fail(`flattening ${fmt(tfShapeOf(x, rank))} (only a 1×1 image [N, 1, 1, C]) is not supported`);
      return keep([x[0], 1, 1, x[3]], 2);
    case 'reshape': {
      const from = tfShapeOf(x, rank);
      const total = from.reduce((a, b) => a * b, 1);
      const known = op.shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      const to = op.shape.map((d) => (d === -1 ? total / known : d));
      if (!Number.isInteger(total / known) || to.reduce((a, b) => a * b, 1) !== total)
        fail(`cannot reshape ${fmt(from)} to ${fmt(op.shape)}`);
      return keep(toNhwc(to), to.length);
    }
    case 'mean':
      if (rank !== 4) fail(`mean over axes [1, 2] needs a rank-4 input, got rank ${rank}`);
      return keep([x[0], 1, 1, x[3]], op.keepDims ? 4 : 2);
  }
}

/** The output shape of one node from its input shapes (values of rank 4). */
export function nodeOutputShape(node: GraphNode, inputs: Shape4[]): Shape4 {
  return nodeOutput(
    node,
    inputs.map((shape) => ({ shape, rank: 4 })),
  ).shape;
}

function checkInput(node: GraphNode, s: Shape4): void {
  if (node.op.kind !== 'input') return;
  const { channels, shape } = node.op;
  if (channels !== undefined && s[3] !== channels)
    throw new GraphError(node, `input ${fmt(s)} must have ${channels} channels`);
  if (shape && shape.length > 0) {
    const ok = shape.length === 4 && shape.every((d, i) => d === -1 || d === s[i]);
    if (!ok)
      throw new GraphError(node, `input "${node.name}" is ${fmt(s)}, the model declares ${fmt(shape)}`);
  }
}

/** Every value's shape and rank for the given input shapes. */
export function inferValues(spec: GraphSpec, inputShapes: Record<string, Shape4>): Map<string, ValueInfo> {
  const values = new Map<string, ValueInfo>();
  for (const node of spec.nodes) {
    if (node.op.kind === 'input') {
      const s = inputShapes[node.name];
      if (!s) throw new GraphError(node, `no shape given for input "${node.name}"`);
      checkInput(node, s);
      values.set(node.name, { shape: [...s], rank: 4 });
      continue;
    }
    const ins = node.inputs.map((i) => {
      const v = values.get(i);
      if (!v) throw new GraphError(node, `reads "${i}", which is not computed before it`);
      return v;
    });
    try {
      values.set(node.name, nodeOutput(node, ins));
    } catch (e) {
      throw e instanceof GraphError ? e : new GraphError(node, (e as Error).message);
    }
  }
  return values;
}

/** Every value's shape for the given input shapes. */
export function inferShapes(spec: GraphSpec, inputShapes: Record<string, Shape4>): Map<string, Shape4> {
  return new Map([...inferValues(spec, inputShapes)].map(([k, v]) => [k, v.shape]));
}

/** Bytes of a tensor on the GPU: channels padded to vec4 groups (Tensor.byteLengthOf, without the GPU import). */
export const tensorBytes = (s: Shape4) => s[0] * s[1] * s[2] * Math.ceil(s[3] / 4) * 16;

/**
 * Floating-point operations of one run (a multiply-add counts 2): the arithmetic of the convolutions,
 * transposed convolutions and matmuls, which is all but a few percent of every network here.
 */
export function graphFlops(spec: GraphSpec, inputShapes: Record<string, Shape4>): number {
  const values = inferValues(spec, inputShapes);
  let flops = 0;
  for (const node of spec.nodes) {
    const { op } = node;
    if (op.kind === 'conv2d') {
      // Per output pixel: kh · kw taps over the group's input channels, for every output channel.
      const [n, h, w] = values.get(node.name)!.shape;
      const [kh, kw, groupIn, cout] = op.weightShape;
      flops += 2 * n * h * w * kh * kw * groupIn * cout;
    } else if (op.kind === 'convTranspose2d') {
      // Every input pixel scatters kh · kw taps (output pixels receive (k / stride)² on average).
      const [n, h, w] = values.get(node.inputs[0])!.shape;
      const [kh, kw, cout, cin] = op.weightShape;
      flops += 2 * n * h * w * kh * kw * cin * cout;
    } else if (op.kind === 'matmul') {
      const [b] = values.get(node.name)!.shape;
      flops += 2 * b * op.weightShape[0] * op.weightShape[1];
    }
  }
  return flops;
}
