import { describe, expect, it } from 'vitest';
import { conv2dReference } from '@avatarme/kernels/conv/reference.ts';
import { depthToSpaceReference } from '@avatarme/kernels/pixel-shuffle/reference.ts';
import { compareArrays, randomArray } from '@avatarme/testing';
import { foldUpsampleIntoConv, phaseWeights } from './upsample-conv.ts';
import { fuseGraph } from './fuse.ts';
import { planMemory } from './plan.ts';
import { tensorBytes } from './shapes.ts';
import type { GraphNode, GraphOp, GraphSpec } from './spec.ts';

function conv(cin: number, cout: number): GraphOp {
  return {
    kind: 'conv2d',
    weights: new Float32Array(9 * cin * cout),
    weightShape: [3, 3, cin, cout],
    padding: 'same',
    stride: [1, 1],
    dilation: [1, 1],
    activation: 'linear',
    beta: 1,
    residual: false,
  };
}
const node = (name: string, op: GraphOp, ...inputs: string[]): GraphNode => ({ name, op, inputs });

// x → a → relu → b(+x) → c ; concat(b_add, c) → out : a small residual block with a skip.
const SPEC: GraphSpec = {
  inputs: ['x'],
  outputs: ['out'],
  nodes: [
    node('x', { kind: 'input', channels: 4 }),
    node('a', conv(4, 8), 'x'),
    node('relu', { kind: 'activation', activation: 'relu' }, 'a'),
    node('b', conv(8, 4), 'relu'),
    node('beta', { kind: 'scale', factor: 0.2 }, 'b'),
    node('add', { kind: 'add' }, 'x', 'beta'),
    node('c', conv(4, 4), 'add'),
    node('out', { kind: 'concat' }, 'add', 'c'),
  ],
};

describe('fuseGraph', () => {
  it('folds activation, scale and residual add into the convolutions, keeping the readers names', () => {
    const fused = fuseGraph(SPEC);
    expect(fused.nodes.map((n) => n.name)).toEqual(['x', 'relu', 'add', 'c', 'out']);
    expect(fused.nodes[1].op).toMatchObject({ kind: 'conv2d', activation: 'relu', beta: 1, residual: false });
    expect(fused.nodes[1].inputs).toEqual(['x']);
    expect(fused.nodes[2].op).toMatchObject({ kind: 'conv2d', beta: 0.2, residual: true });
    expect(fused.nodes[2].inputs).toEqual(['relu', 'x']);
  });
  it('leaves a convolution with two readers alone', () => {
    const spec: GraphSpec = {
      ...SPEC,
      nodes: [
        ...SPEC.nodes.slice(0, 2),
        node('r', { kind: 'activation', activation: 'relu' }, 'a'),
        node('out', { kind: 'add' }, 'a', 'r'),
      ],
    };
    expect(fuseGraph(spec).nodes.map((n) => n.op.kind)).toEqual(['input', 'conv2d', 'activation', 'add']);
  });
});

describe('planMemory', () => {
  it('releases each value after its last reader, never the input or the output', () => {
    const fused = fuseGraph(SPEC);
    const plan = planMemory(fused, { x: [1, 6, 5, 4] });
    // relu is last read by add; add by out (concat); c by out.
    expect(plan.releaseAfter).toEqual([[], [], ['relu'], [], ['add', 'c']]);
    const px = 6 * 5 * 16;
    expect(tensorBytes([1, 6, 5, 8])).toBe(2 * px);
    // Worst step is the concat: add (4 ch) + c (4 ch) + out (8 ch) = 4 vec4 groups per pixel.
    expect(plan.peakBytes).toBe(4 * px);
    expect(plan.peakNode).toBe('out');
    expect(plan.totalBytes).toBe((2 + 1 + 1 + 2) * px);
  });
  it('names the node whose input shapes do not fit', () => {
    const bad: GraphSpec = {
      ...SPEC,
      nodes: [node('x', { kind: 'input', channels: 4 }), node('a', conv(3, 8), 'x')],
      outputs: ['a'],
    };
    expect(() => planMemory(bad, { x: [1, 4, 4, 4] })).toThrow(
      'node a: input [1, 4, 4, 4] has 4 channels, kernel [3, 3, 3, 8] expects 3',
    );
  });
});

describe('foldUpsampleIntoConv', () => {
  function nearest(x: Float32Array, [n, h, w, c]: number[], s: number): Float32Array {
    const out = new Float32Array(n * h * s * w * s * c);
    for (let y = 0; y < h * s; y++)
      for (let xx = 0; xx < w * s; xx++)
        for (let k = 0; k < c; k++)
          out[(y * w * s + xx) * c + k] = x[(Math.floor(y / s) * w + Math.floor(xx / s)) * c + k];
    return out;
  }
  it.each([
    { s: 2, k: 3 },
    { s: 3, k: 3 },
    { s: 8, k: 3 },
    { s: 4, k: 5 },
  ])('conv$k×$k after nearest ×$s == LR conv with phase weights + depthToSpace (DCR)', ({ s, k }) => {
    const xShape = [1, 3, 4, 5];
    const [cin, cout] = [5, 3];
    const x = randomArray(3 * 4 * cin, 1);
    const w = randomArray(k * k * cin * cout, 2);
    const hr = nearest(x, xShape, s);
    const direct = conv2dReference(hr, [1, 3 * s, 4 * s, cin], w, [k, k, cin, cout], { padding: 'same' });
    const folded = phaseWeights(w, [k, k, cin, cout], s);
    const lr = conv2dReference(x, xShape, folded.weights, folded.shape, { padding: 'same' });
    const out = depthToSpaceReference(lr.data, lr.shape, s, 'DCR');
    expect(out.shape).toEqual(direct.shape);
    // Only the order of f32 additions differs.
    expect(compareArrays(out.data, direct.data, { atol: 1e-5 }).ok).toBe(true);
  });
  it('rewrites the RDN tail UPN3 → UpSampling2D → SR and keeps the output name', () => {
    const spec: GraphSpec = {
      inputs: ['x'],
      outputs: ['SR'],
      nodes: [
        node('x', { kind: 'input', channels: 4 }),
        node('UPsample', { kind: 'upsampleNearest', factor: 8 }, 'x'),
        node('SR', conv(4, 3), 'UPsample'),
      ],
    };
    const folded = foldUpsampleIntoConv(spec);
    expect(folded.nodes.map((n) => [n.name, n.op.kind])).toEqual([
      ['x', 'input'],
      ['SR/phases', 'conv2d'],
      ['SR', 'depthToSpace'],
    ]);
    expect(planMemory(folded, { x: [1, 5, 6, 4] }).shapes.get('SR')).toEqual([1, 40, 48, 3]);
  });
});
