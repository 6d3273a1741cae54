import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@avatarme/browser-runtime';
import { optimiseGraph } from '../ir/fuse.ts';
import { inferValues, tfShapeOf } from '../ir/shapes.ts';
import { loadGraphModel } from './load.ts';
import { lowerGraphModel } from './lower.ts';
import { signatureOf } from './model-json.ts';

const load = (m: string) =>
  loadGraphModel(
    pathToFileURL(`${REPO_ROOT}/node_modules/@vladmandic/human/models/${m}.json`).href,
    async (url) => new Uint8Array(readFileSync(fileURLToPath(url))),
  );

describe('graph models in the IR', () => {
  it.each([
    ['blazeface', 256],
    ['facemesh', 192],
    ['iris', 64],
  ])('%s: outputs have the TF shapes the signature declares, before and after fusion', async (m, size) => {
    const model = await load(m);
    const spec = lowerGraphModel(model);
    const declared = Object.values(signatureOf(model.json)?.outputs ?? {});
    expect(declared.length).toBeGreaterThan(0);
    for (const s of [spec, optimiseGraph(spec)]) {
      const values = inferValues(s, { [s.inputs[0]]: [1, size, size, 3] });
      for (const e of declared) {
        const v = values.get(e.name.replace(/:0$/, ''))!;
        const want = (e.tensorShape?.dim ?? []).map((d) => Math.max(Number(d.size), 1));
        expect(tfShapeOf(v.shape, v.rank)).toEqual(want);
      }
    }
  });

  it('blazeface: the residual sums become convolution epilogues', async () => {
    const spec = lowerGraphModel(await load('blazeface'));
    const sums = spec.nodes.filter((n) => n.op.kind === 'add').length;
    expect(sums).toBe(31);
    const fused = optimiseGraph(spec);
    const residual = fused.nodes.filter((n) => n.op.kind === 'conv2d' && n.op.residual).length;
    expect(residual).toBe(sums);
    expect(fused.nodes.filter((n) => n.op.kind === 'add' || n.op.kind === 'identity')).toHaveLength(0);
  });
});
