// A small graph with every op FaceRes runs (and the other differentiable ones), for the input
// gradient tests: Node plans it, the page runs it.
import { rng } from '@avatarme/kernels/core/random.ts';
import type { GraphNode, GraphSpec } from './spec.ts';

function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

const conv = (
  name: string,
  input: string,
  shape: [number, number, number, number],
  seed: number,
  extra: Record<string, unknown> = {},
): GraphNode => ({
  name,
  inputs: [input],
  op: {
    kind: 'conv2d',
    weights: randomArray(
      shape.reduce((a, b) => a * b, 1),
      seed,
      -0.5,
      0.5,
    ),
    weightShape: shape,
    bias: randomArray(shape[3], seed + 1, -0.2, 0.2),
    padding: 'same',
    stride: [1, 1],
    dilation: [1, 1],
    activation: 'linear',
    beta: 1,
    residual: false,
    ...extra,
  },
});

/**
 * x [1, H, W, 3] → conv + batch norm + relu (fused) → conv·sigmoid·0.5 + skip (fused residual) →
 * depthwise stride 2 → per-channel mul, add, relu, min, max (FaceRes' unfused batch norm and ReLU6)
 * → 1×1 conv → tanh → max pool and average pool → means → product of the two → matmul·sigmoid and
 * concat with the product.
 */
export function gradientTestGraph(seed: number): GraphSpec {
  const ch = (n: number, s: number, lo = -1, hi = 1) => randomArray(n, s, lo, hi);
  const nodes: GraphNode[] = [
    { name: 'x', inputs: [], op: { kind: 'input' } },
    conv('c1', 'x', [3, 3, 3, 8], seed),
    {
      name: 'bn1',
      inputs: ['c1'],
      op: {
        kind: 'batchNorm',
        params: {
          mean: ch(8, seed + 2, -0.1, 0.1),
          variance: ch(8, seed + 3, 0.5, 1.5),
          gamma: ch(8, seed + 4, 0.5, 1.5),
          beta: ch(8, seed + 5, -0.1, 0.3),
          eps: 1e-3,
        },
      },
    },
    { name: 'r1', inputs: ['bn1'], op: { kind: 'activation', activation: 'relu' } },
    conv('c2', 'r1', [3, 3, 8, 8], seed + 10, { activation: 'sigmoid' }),
    { name: 's2', inputs: ['c2'], op: { kind: 'scale', factor: 0.5 } },
    { name: 'res', inputs: ['s2', 'r1'], op: { kind: 'add' } },
    conv('dw', 'res', [3, 3, 1, 8], seed + 20, { groups: 8, stride: [2, 2] }),
    { name: 'bnMul', inputs: ['dw'], op: { kind: 'binary', op: 'mul', constant: ch(8, seed + 30, 0.5, 2) } },
    {
      name: 'bnAdd',
      inputs: ['bnMul'],
      op: { kind: 'binary', op: 'add', constant: ch(8, seed + 31, -0.3, 0.3) },
    },
    { name: 'r2', inputs: ['bnAdd'], op: { kind: 'activation', activation: 'relu' } },
    { name: 'r2min', inputs: ['r2'], op: { kind: 'binary', op: 'min', constant: 0.8 } },
    { name: 'r2max', inputs: ['r2min'], op: { kind: 'binary', op: 'max', constant: 0 } },
    conv('pw', 'r2max', [1, 1, 8, 6], seed + 40),
    { name: 't', inputs: ['pw'], op: { kind: 'activation', activation: 'tanh' } },
    {
      name: 'maxp',
      inputs: ['t'],
      op: { kind: 'pool2d', mode: 'max', kernel: [2, 2], stride: [1, 1], padding: 'valid' },
    },
    {
      name: 'avgp',
      inputs: ['t'],
      op: { kind: 'pool2d', mode: 'avg', kernel: [3, 3], stride: [1, 1], padding: 'same' },
    },
    { name: 'm1', inputs: ['maxp'], op: { kind: 'mean', keepDims: false } },
    { name: 'm2', inputs: ['avgp'], op: { kind: 'mean', keepDims: false } },
    { name: 'prod', inputs: ['m1', 'm2'], op: { kind: 'binary', op: 'mul' } },
    {
      name: 'fc',
      inputs: ['prod'],
      op: {
        kind: 'matmul',
        weights: ch(30, seed + 50),
        weightShape: [6, 5],
        bias: ch(5, seed + 51, -0.2, 0.2),
        activation: 'sigmoid',
      },
    },
    { name: 'out', inputs: ['fc', 'prod'], op: { kind: 'concat', axis: -1 } },
  ];
  return { nodes, inputs: ['x'], outputs: ['out'] };
}
