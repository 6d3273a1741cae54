// Whole-network figures for the benchmark, from the network IR on the Node side: the graph the
// executor runs (optimiseGraph) planned and counted for the row's input shape, without a GPU.
import type { Shape4 } from '@avatarme/kernels';
// Deep paths, not the package root: Node cannot load the GPU half (WGSL imports) behind it.
import { optimiseGraph } from '@avatarme/nets/ir/fuse.ts';
import { planMemory } from '@avatarme/nets/ir/plan.ts';
import { graphFlops } from '@avatarme/nets/ir/shapes.ts';
import type { GraphSpec } from '@avatarme/nets/ir/spec.ts';

export interface NetworkFigures {
  /** e.g. 'BlazeFace 256×256'. */
  name: string;
  /** Nodes as imported, and as run after fusion. */
  nodes: number;
  fusedNodes: number;
  /** Floating-point operations of one call (a multiply-add counts 2). */
  flops: number;
  /** The liveness plan's peak of activations, and the node where it happens. */
  plannedPeakBytes: number;
  peakNode: string;
  /** Every activation allocated without reuse. */
  unplannedBytes: number;
}

/** Fuses `spec` as the executor does and plans it for one input shape per graph input. */
export function networkFigures(
  name: string,
  spec: GraphSpec,
  inputs: Record<string, Shape4>,
): NetworkFigures {
  const fused = optimiseGraph(spec);
  const plan = planMemory(fused, inputs);
  return {
    name,
    nodes: spec.nodes.length,
    fusedNodes: fused.nodes.length,
    flops: graphFlops(fused, inputs),
    plannedPeakBytes: plan.peakBytes,
    peakNode: plan.peakNode,
    unplannedBytes: plan.totalBytes,
  };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** A Markdown table of the networks' figures, one row each. */
export function formatNetworks(networks: readonly NetworkFigures[]): string {
  const head = ['network', 'nodes (fused)', 'GFLOP', 'planned peak MiB', 'without reuse MiB', 'peak at'];
  const lines = [head, head.map(() => '---')];
  for (const n of networks) {
    lines.push([
      n.name,
      `${n.nodes} (${n.fusedNodes})`,
      (n.flops / 1e9).toFixed(3),
      mib(n.plannedPeakBytes),
      mib(n.unplannedBytes),
      n.peakNode,
    ]);
  }
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
}
