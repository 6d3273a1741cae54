import { Conv2d, ConvTranspose2d, Tensor, foldBatchNorm, type KernelContext } from '@avatarme/kernels';
import type { ConvOp, ConvTransposeOp, GraphNode } from './spec.ts';

/** What a node owns on the GPU, made once when the graph is created. */
export type NodeLayer = Conv2d | ConvTranspose2d | Tensor;

/** [..., a, b] → [..., b, a]: moves a transposed-conv filter [kh, kw, cout, cin] to [kh, kw, cin, cout] and back. */
export function swapLastTwoAxes(data: Float32Array, shape: readonly number[]): Float32Array {
  const a = shape[shape.length - 2];
  const b = shape[shape.length - 1];
  const out = new Float32Array(data.length);
  for (let base = 0; base < data.length; base += a * b)
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out[base + j * a + i] = data[base + i * b + j];
  return out;
}

/**
 * The weights and bias to upload, with a folded batch norm applied. foldBatchNorm wants the output
 * channel last: HWIO already has it; the transposed filter [kh, kw, cout, cin] is folded as
 * [kh, kw, cin, cout] and turned back.
 */
export function convConstants(op: ConvOp | ConvTransposeOp): { weights: Float32Array; bias?: Float32Array } {
  const bn = op.batchNorm;
  if (!bn) return { weights: op.weights, bias: op.bias };
  if (op.kind === 'conv2d') return foldBatchNorm(op.weights, op.weightShape, op.bias, bn);
  const [kh, kw, cout, cin] = op.weightShape;
  const folded = foldBatchNorm(swapLastTwoAxes(op.weights, op.weightShape), [kh, kw, cin, cout], op.bias, bn);
  return { weights: swapLastTwoAxes(folded.weights, [kh, kw, cin, cout]), bias: folded.bias };
}

/** The kernel layer or constant tensor a node runs with, or undefined when it needs none. */
export function createLayer(ctx: KernelContext, node: GraphNode): NodeLayer | undefined {
  const { op } = node;
  const label = node.name;
  switch (op.kind) {
    case 'conv2d':
    case 'convTranspose2d': {
      const { weights, bias } = convConstants(op);
      const { stride, activation, prelu, leakySlope } = op;
      const common = { bias, stride, activation, prelu, leakySlope, label };
      if (op.kind === 'convTranspose2d') {
        const { padding, outputPadding } = op;
        return ConvTranspose2d.create(ctx, weights, op.weightShape, { ...common, padding, outputPadding });
      }
      const { groups, padding, padMode, dilation, beta } = op;
      return Conv2d.create(ctx, weights, op.weightShape, {
        ...common,
        groups,
        padding,
        padMode,
        dilation,
        beta,
      });
    }
    case 'matmul': {
      // A [B, K] matrix is a [B, 1, 1, K] tensor, so x·W + b is a 1×1 convolution with HWIO [1, 1, K, M].
      const [k, m] = op.weightShape;
      return Conv2d.create(ctx, op.weights, [1, 1, k, m], {
        bias: op.bias,
        activation: op.activation,
        label,
      });
    }
    case 'binary':
      if (op.constant instanceof Float32Array)
        return Tensor.fromArray(ctx, op.constant, [1, 1, 1, op.constant.length], `${label}.b`);
      return undefined;
    default:
      return undefined;
  }
}

const NO_WEIGHTS = new Float32Array(0);

/**
 * The node as kept once its layer is on the GPU: the weight array (the bulk of a network, and often
 * a view into a whole weights file) emptied; shapes, options and per-channel constants (copied) stay,
 * so the spec can still be planned, counted and printed.
 */
export function withoutWeights(node: GraphNode): GraphNode {
  const { op } = node;
  const copy = <T extends Float32Array | undefined>(a: T): T => a?.slice() as T;
  switch (op.kind) {
    case 'conv2d':
    case 'convTranspose2d': {
      const bn = op.batchNorm && {
        ...op.batchNorm,
        mean: copy(op.batchNorm.mean),
        variance: copy(op.batchNorm.variance),
        gamma: copy(op.batchNorm.gamma),
        beta: copy(op.batchNorm.beta),
      };
      return {
        ...node,
        op: { ...op, weights: NO_WEIGHTS, bias: copy(op.bias), prelu: copy(op.prelu), batchNorm: bn },
      };
    }
    case 'matmul':
      return { ...node, op: { ...op, weights: NO_WEIGHTS, bias: copy(op.bias) } };
    default:
      return node;
  }
}
