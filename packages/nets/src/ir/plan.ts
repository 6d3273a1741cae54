import type { Shape4 } from '@avatarme/kernels';
import { inferValues, tensorBytes } from './shapes.ts';
import type { GraphSpec } from './spec.ts';

export interface MemoryPlan {
  /** releaseAfter[i]: the values whose last reader is node i (graph inputs and outputs never appear). */
  releaseAfter: string[][];
  /** Bytes of activations alive at once at the worst node (its inputs, its output and all kept values). */
  peakBytes: number;
  /** The node where that peak happens. */
  peakNode: string;
  /** What allocating every value without reuse would take. */
  totalBytes: number;
  shapes: Map<string, Shape4>;
  /** Each value's TF rank (4 unless a graph-model op made it lower). */
  ranks: Map<string, number>;
}

/**
 * Liveness of every intermediate value: each is released right after its last reader, so later
 * values reuse its buffer. Graph inputs belong to the caller and outputs to whoever reads them.
 */
export function planMemory(spec: GraphSpec, inputShapes: Record<string, Shape4>): MemoryPlan {
  const values = inferValues(spec, inputShapes);
  const shapes = new Map([...values].map(([k, v]) => [k, v.shape]));
  const ranks = new Map([...values].map(([k, v]) => [k, v.rank]));
  const lastUse = new Map<string, number>();
  spec.nodes.forEach((node, i) => {
    for (const v of node.inputs) lastUse.set(v, i);
  });
  const pinned = new Set([...spec.inputs, ...spec.outputs]);
  const releaseAfter: string[][] = spec.nodes.map(() => []);
  spec.nodes.forEach((node, i) => {
    // A value nobody reads is released right after it is made.
    if (!pinned.has(node.name)) releaseAfter[lastUse.get(node.name) ?? i].push(node.name);
  });
  let live = 0;
  let peakBytes = 0;
  let peakNode = '';
  let totalBytes = 0;
  spec.nodes.forEach((node, i) => {
    if (node.op.kind !== 'input') {
      const bytes = tensorBytes(shapes.get(node.name)!);
      live += bytes;
      totalBytes += bytes;
      if (live > peakBytes) [peakBytes, peakNode] = [live, node.name];
    }
    for (const v of releaseAfter[i]) live -= tensorBytes(shapes.get(v)!);
  });
  return { releaseAfter, peakBytes, peakNode, totalBytes, shapes, ranks };
}
