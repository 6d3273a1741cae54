import { describe, expect, it } from 'vitest';
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
