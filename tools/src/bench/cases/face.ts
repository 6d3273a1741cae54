// Issue 6's benchmark row: BlazeFace detection + FaceMesh landmarks on a 512×512 photo, our kernels
// against @vladmandic/human (the same model files) on its TF.js WebGPU backend, same browser run.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
// The pure loader and planner only (the executor needs WGSL imports that Node cannot load).
import { loadGraphModel } from '@avatarme/nets/graph-model/load.ts';
import { planGraph, type GraphPlan } from '@avatarme/nets/graph-model/plan.ts';
import { REPO_ROOT } from '@avatarme/browser-runtime';
import type { BenchCase } from '../case.ts';

const page = new URL('./face.page.ts', import.meta.url);

/** Multiply-adds ×2 of a graph's convolutions and matmuls, by propagating [h, w, c] from the input. */
function graphFlops(plan: GraphPlan, input: [number, number, number]): number {
  const dims = new Map<string, [number, number, number]>();
  let flops = 0;
  const out = (size: number, k: number, s: number, same: boolean) =>
    Math.ceil((same ? size : size - k + 1) / s);
  for (const st of plan.steps) {
    if (st.kind === 'input') dims.set(st.name, input);
    else if (st.kind === 'conv') {
      const [h, w, c] = dims.get(st.input)!;
      const [kh, kw, cin, m] = st.filter.shape;
      const same = st.padding === 'same';
      const oh = out(h, kh, st.stride[0], same);
      const ow = out(w, kw, st.stride[1], same);
      const cout = st.depthwise ? c * m : m;
      flops += 2 * oh * ow * kh * kw * (st.depthwise ? 1 : cin) * cout;
      dims.set(st.name, [oh, ow, cout]);
    } else if (st.kind === 'maxpool') {
      const [h, w, c] = dims.get(st.input)!;
      const same = st.padding === 'same';
      dims.set(st.name, [
        out(h, st.kernel[0], st.stride[0], same),
        out(w, st.kernel[1], st.stride[1], same),
        c,
      ]);
    } else if (st.kind === 'padChannels') {
      const [h, w, c] = dims.get(st.input)!;
      dims.set(st.name, [h, w, c + st.after]);
    } else if (st.kind === 'matmul') {
      flops += 2 * st.shape[0] * st.shape[1];
      dims.set(st.name, [1, 1, st.shape[1]]);
    } else if (st.kind === 'binary') dims.set(st.name, dims.get(st.a)!);
    else if (st.kind === 'concat') {
      const parts = st.inputs.map((i) => dims.get(i)!);
      dims.set(st.name, [parts[0][0], parts[0][1], parts.reduce((s, p) => s + p[2], 0)]);
    } else if ('input' in st) dims.set(st.name, dims.get(st.input)!);
  }
  return flops;
}

const modelPlan = async (m: string) => {
  const url = pathToFileURL(`${REPO_ROOT}/node_modules/@vladmandic/human/models/${m}.json`).href;
  return planGraph(await loadGraphModel(url, async (u) => new Uint8Array(readFileSync(new URL(u)))));
};
const flops =
  graphFlops(await modelPlan('blazeface'), [256, 256, 3]) +
  graphFlops(await modelPlan('facemesh'), [192, 192, 3]);

export const faceCases: BenchCase[] = [
  {
    name: 'face detection + 468 landmarks, 512×512 photo (BlazeFace 256 + FaceMesh 192)',
    flops,
    page,
    args: { photo: '/assets/astronaut.png' },
    subjects: [
      { impl: 'ours', fn: 'faceOurs' },
      { impl: 'human-webgpu', fn: 'faceHuman' },
    ],
  },
];
