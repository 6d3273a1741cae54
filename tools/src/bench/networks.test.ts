import { describe, expect, it } from 'vitest';
import type { GraphSpec } from '@avatarme/nets/ir/spec.ts';
import { formatNetworks, networkFigures } from './networks.ts';
import { formatTable, summarise } from './stats.ts';

// x → conv 3×3 (8 → 16) → ReLU: one node after fusion.
const SPEC: GraphSpec = {
  inputs: ['x'],
  outputs: ['relu'],
  nodes: [
    { name: 'x', op: { kind: 'input', channels: 8 }, inputs: [] },
    {
      name: 'conv',
      op: {
        kind: 'conv2d',
        weights: new Float32Array(9 * 8 * 16),
        weightShape: [3, 3, 8, 16],
        padding: 'same',
        stride: [1, 1],
        dilation: [1, 1],
        activation: 'linear',
        beta: 1,
        residual: false,
      },
      inputs: ['x'],
    },
    { name: 'relu', op: { kind: 'activation', activation: 'relu' }, inputs: ['conv'] },
  ],
};

describe('bench network figures', () => {
  it('counts and plans the graph the executor runs, and prints a row per network', () => {
    const f = networkFigures('tiny 64×64', SPEC, { x: [1, 64, 64, 8] });
    expect(f).toEqual({
      name: 'tiny 64×64',
      nodes: 3,
      fusedNodes: 2,
      flops: 2 * 64 * 64 * 9 * 8 * 16,
      plannedPeakBytes: 64 * 64 * 16 * 4,
      peakNode: 'relu',
      unplannedBytes: 64 * 64 * 16 * 4,
    });
    expect(formatNetworks([f]).split('\n')).toEqual([
      '| network | nodes (fused) | GFLOP | planned peak MiB | without reuse MiB | peak at |',
      '| --- | --- | --- | --- | --- | --- |',
      '| tiny 64×64 | 3 (2) | 0.009 | 0.3 | 0.3 | relu |',
    ]);
    const row = summarise('tiny', f.flops, [{ impl: 'ours', ms: [2] }], [f]);
    expect(formatTable([row]).split('\n')[2]).toBe('| tiny | 0.009 | 0.3 | 2.0 | 4.72 | – | – | – |');
  });
});
