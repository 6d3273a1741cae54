// Issue 6's benchmark row: BlazeFace detection + FaceMesh landmarks on a 512×512 photo, our kernels
// against @vladmandic/human (the same model files) on its TF.js WebGPU backend, same browser run.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
// The pure loader and lowerer only (the executor needs WGSL imports that Node cannot load).
import { loadGraphModel } from '@avatarme/nets/graph-model/load.ts';
import { lowerGraphModel } from '@avatarme/nets/graph-model/lower.ts';
import { REPO_ROOT } from '@avatarme/browser-runtime';
import type { BenchCase } from '../case.ts';
import { networkFigures, type NetworkFigures } from '../networks.ts';

const page = new URL('./face.page.ts', import.meta.url);

/** One of human's models lowered for the outputs the pipeline plans (FaceModels), on a size × size input. */
async function faceFigures(
  name: string,
  m: string,
  size: number,
  outputs?: string[],
): Promise<NetworkFigures> {
  const url = pathToFileURL(`${REPO_ROOT}/node_modules/@vladmandic/human/models/${m}.json`).href;
  const model = await loadGraphModel(url, async (u) => new Uint8Array(readFileSync(new URL(u))));
  const spec = lowerGraphModel(model, outputs);
  return networkFigures(`${name} ${size}×${size}`, spec, { [spec.inputs[0]]: [1, size, size, 3] });
}

const networks = [
  await faceFigures('BlazeFace', 'blazeface', 256),
  await faceFigures('FaceMesh', 'facemesh', 192, ['output_mesh', 'output_faceflag']),
];

export const faceCases: BenchCase[] = [
  {
    name: 'face detection + 468 landmarks, 512×512 photo (BlazeFace 256 + FaceMesh 192)',
    flops: networks.reduce((sum, n) => sum + n.flops, 0),
    networks,
    page,
    args: { photo: '/assets/astronaut.png' },
    subjects: [
      { impl: 'ours', fn: 'faceOurs' },
      { impl: 'human-webgpu', fn: 'faceHuman' },
    ],
  },
];
