// Whole-network rows of issue 4: UpscalerJS ESRGAN models on a 64×64 input, ours against TF.js's
// WebGPU backend running the same model.json the way UpscalerJS does (tfjs-layers predict).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
// Deep imports: the Node side must not load the GPU half of @avatarme/nets.
import { esrganModel } from '@avatarme/nets/esrgan/registry.ts';
import { importLayersModel } from '@avatarme/nets/layers-model/load.ts';
import { REPO_ROOT } from '@avatarme/browser-runtime';
import type { BenchCase } from '../case.ts';
import { networkFigures, type NetworkFigures } from '../networks.ts';

const page = new URL('./esrgan.page.ts', import.meta.url);

/** The model as the executor runs it on h × w, from its model.json. */
async function esrganFigures(model: string, scale: number, h: number, w: number): Promise<NetworkFigures> {
  const info = esrganModel(model, scale);
  const dir = join(REPO_ROOT, 'node_modules', info.npmPackage, dirname(info.path));
  const spec = await importLayersModel({
    json: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')),
    file: info.path,
    readShard: async (p) => new Uint8Array(readFileSync(join(dir, p))),
  });
  return networkFigures(`${model} ×${scale} ${h}×${w}`, spec, { [spec.inputs[0]]: [1, h, w, 3] });
}

const row = async (model: string, scale: number, size: number): Promise<BenchCase> => {
  const figures = await esrganFigures(model, scale, size, size);
  return {
    name: `${model} ×${scale}, ${size}×${size}`,
    flops: figures.flops,
    networks: [figures],
    page,
    args: { model, scale, size },
    subjects: [
      { impl: 'ours', fn: 'esrganOurs' },
      { impl: 'tfjs-webgpu', fn: 'esrganTf' },
    ],
  };
};

export const esrganCases: BenchCase[] = [await row('esrgan-medium', 8, 64), await row('esrgan-thick', 4, 64)];
