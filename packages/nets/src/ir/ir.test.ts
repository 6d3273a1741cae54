import { describe, expect, it } from 'vitest';
import { conv2dReference } from '@avatarme/kernels/conv/reference.ts';
import { depthToSpaceReference } from '@avatarme/kernels/pixel-shuffle/reference.ts';
import { compareArrays, randomArray } from '@avatarme/testing';
import { foldUpsampleIntoConv, phaseWeights } from './upsample-conv.ts';
import { pix2pixhdLayout } from '../pix2pixhd/architecture.ts';
import { pix2pixhdGraph } from '../pix2pixhd/graph.ts';
import { dropIdentities, fuseGraph, optimiseGraph } from './fuse.ts';
import { planMemory } from './plan.ts';
import { graphFlops, tensorBytes } from './shapes.ts';
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

describe('fusion of what the three importers produce', () => {
  const bn = { mean: new Float32Array(4), variance: new Float32Array(4).fill(1) };
  it('folds a reflection pad, a batch norm and a ReLU into the convolution, in that order', () => {
    const spec: GraphSpec = {
      inputs: ['x'],
      outputs: ['relu'],
      nodes: [
        node('x', { kind: 'input', channels: 4 }),
        node('pad', { kind: 'pad', pads: [1, 1, 2, 2], mode: 'reflect' }, 'x'),
        node('conv', { ...conv(4, 4), padding: 'valid' } as GraphOp, 'pad'),
        node('bn', { kind: 'batchNorm', params: bn }, 'conv'),
        node('relu', { kind: 'activation', activation: 'relu' }, 'bn'),
      ],
    };
    const fused = fuseGraph(spec);
    expect(fused.nodes.map((n) => n.name)).toEqual(['x', 'relu']);
    expect(fused.nodes[1].inputs).toEqual(['x']);
    expect(fused.nodes[1].op).toMatchObject({
      kind: 'conv2d',
      padding: [1, 1, 2, 2],
      padMode: 'reflect',
      batchNorm: bn,
      activation: 'relu',
    });
  });
  it('keeps a pad whose convolution pads too, and a batch norm after an activation', () => {
    const spec: GraphSpec = {
      inputs: ['x'],
      outputs: ['bn'],
      nodes: [
        node('x', { kind: 'input', channels: 4 }),
        node('pad', { kind: 'pad', pads: [1, 1, 1, 1], mode: 'zero' }, 'x'),
        node('conv', conv(4, 4), 'pad'),
        node('relu', { kind: 'activation', activation: 'relu' }, 'conv'),
        node('bn', { kind: 'batchNorm', params: bn }, 'relu'),
      ],
    };
    expect(fuseGraph(spec).nodes.map((n) => n.op.kind)).toEqual(['input', 'pad', 'conv2d', 'batchNorm']);
  });
  it('folds ReLU into instance norm, and an activation with its slopes into a transposed convolution', () => {
    const slopes = new Float32Array([0.1, 0.2]);
    const spec: GraphSpec = {
      inputs: ['x'],
      outputs: ['prelu'],
      nodes: [
        node('x', { kind: 'input', channels: 2 }),
        node('in', { kind: 'instanceNorm', eps: 1e-5, activation: 'linear' }, 'x'),
        node('relu', { kind: 'activation', activation: 'relu' }, 'in'),
        node(
          'up',
          {
            kind: 'convTranspose2d',
            weights: new Float32Array(9 * 4),
            weightShape: [3, 3, 2, 2],
            stride: [2, 2],
            padding: [1, 1, 1, 1],
            outputPadding: [1, 1],
            activation: 'linear',
          },
          'relu',
        ),
        node('prelu', { kind: 'activation', activation: 'prelu', slopes }, 'up'),
      ],
    };
    const fused = fuseGraph(spec);
    expect(fused.nodes.map((n) => [n.name, n.op.kind])).toEqual([
      ['x', 'input'],
      ['relu', 'instanceNorm'],
      ['prelu', 'convTranspose2d'],
    ]);
    expect(fused.nodes[1].op).toMatchObject({ activation: 'relu' });
    expect(fused.nodes[2].op).toMatchObject({ activation: 'prelu', prelu: slopes });
    expect(planMemory(fused, { x: [1, 5, 6, 2] }).shapes.get('prelu')).toEqual([1, 10, 12, 2]);
  });
  it('drops identities: readers read the source, an output identity names its source', () => {
    const spec: GraphSpec = {
      inputs: ['x'],
      outputs: ['out', 'copy'],
      nodes: [
        node('x', { kind: 'input', channels: 4 }),
        node('a', conv(4, 4), 'x'),
        node('id', { kind: 'identity' }, 'a'),
        node('b', conv(4, 4), 'id'),
        node('out', { kind: 'identity' }, 'b'),
        node('copy', { kind: 'identity' }, 'x'),
      ],
    };
    const dropped = dropIdentities(spec);
    expect(dropped.nodes.map((n) => [n.name, n.op.kind, n.inputs])).toEqual([
      ['x', 'input', []],
      ['a', 'conv2d', ['x']],
      ['out', 'conv2d', ['a']],
      ['copy', 'identity', ['x']],
    ]);
  });
});

describe('the importers build the same IR', () => {
  it('pix2pixHD: FLOPs of a GlobalGenerator, and every pad, norm, ReLU and sum fused (batch norm)', () => {
    // Empty weights: the structure alone.
    const count = (options: Parameters<typeof pix2pixhdLayout>[0]) =>
      optimiseGraph(pix2pixhdGraph(pix2pixhdLayout(options), () => new Float32Array(0)));
    // Multiply-adds of the 7×7 stem and head, nd strided convs, nb blocks of two 3×3 convs, and nd
    // transposed convs whose output pixels receive (3/2)² taps on average.
    const [s, ngf, nd, nb] = [64, 8, 4, 2];
    const dim = ngf * 2 ** nd;
    let macs = 2 * s * s * 49 * 3 * ngf;
    for (let i = 0; i < nd; i++) macs += (s / 2 ** (i + 1)) ** 2 * 9 * ngf * 2 ** i * ngf * 2 ** (i + 1);
    macs += nb * 2 * (s / 2 ** nd) ** 2 * 9 * dim * dim;
    for (let j = 0; j < nd; j++)
      macs += (s / 2 ** (nd - 1 - j)) ** 2 * 2.25 * (dim / 2 ** j) * (dim / 2 ** (j + 1));
    const global = count({ ngf, n_downsampling: nd, n_blocks: nb });
    expect(graphFlops(global, { input: [1, s, s, 3] })).toBe(2 * macs);
    const batch = count({ ngf: 4, n_downsampling: 1, n_blocks: 2, norm: 'batch' });
    const kinds = batch.nodes.map((n) => n.op.kind);
    expect(kinds.filter((k) => k !== 'conv2d' && k !== 'convTranspose2d')).toEqual(['input']);
    expect(batch.nodes.filter((n) => n.op.kind === 'conv2d' && n.op.residual)).toHaveLength(2);
  });
});
