// Page half of graph.test.ts: one spec through the executor as imported (every node its own kernel)
// and after optimiseGraph, on the same input.
import { KernelContext, Tensor, type Shape4 } from '@avatarme/kernels';
import { randomArray } from '@avatarme/testing/page';
import { loadGraphModel } from '../graph-model/load.ts';
import { lowerGraphModel } from '../graph-model/lower.ts';
import { pix2pixhdLayout, type Pix2PixHDOptions } from '../pix2pixhd/architecture.ts';
import { pix2pixhdGraph } from '../pix2pixhd/graph.ts';
import { SafetensorsFile } from '../safetensors/reader.ts';
import { Graph } from './graph.ts';
import type { GraphSpec } from './spec.ts';

export type FusionCase =
  | { kind: 'pix2pixhd'; weights: Uint8Array; options: Partial<Pix2PixHDOptions>; shape: Shape4 }
  | { kind: 'graph-model'; url: string; shape: Shape4; lo: number; hi: number };

async function specOf(c: FusionCase): Promise<GraphSpec> {
  if (c.kind === 'graph-model') return lowerGraphModel(await loadGraphModel(c.url));
  const file = SafetensorsFile.parse(c.weights, 'random.safetensors');
  return pix2pixhdGraph(pix2pixhdLayout(c.options), (key) => file.float32(key), file.file);
}

export async function fusedVsUnfused(device: GPUDevice, c: FusionCase) {
  const ctx = new KernelContext(device);
  const spec = await specOf(c);
  const [lo, hi] = c.kind === 'graph-model' ? [c.lo, c.hi] : [-1, 1];
  const x = Tensor.fromArray(
    ctx,
    randomArray(
      c.shape.reduce((a, b) => a * b, 1),
      5,
      lo,
      hi,
    ),
    c.shape,
    'x',
  );
  const run = async (fuse: boolean) => {
    const graph = Graph.create(ctx, spec, { fuse });
    const outputs = graph.run({ [spec.inputs[0]]: x });
    const data: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(outputs)) {
      data[name] = await t.read();
      t.dispose();
    }
    const { dispatches, plannedPeakBytes } = graph.lastRun!;
    const nodes = graph.spec.nodes.length;
    graph.dispose();
    return { data, nodes, dispatches, plannedPeakBytes };
  };
  const unfused = await run(false);
  const fused = await run(true);
  x.dispose();
  const { liveBuffers } = ctx.pool.stats();
  ctx.dispose();
  return { unfused, fused, liveBuffers };
}
