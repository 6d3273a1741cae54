import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GpuPageHandle } from './use-gpu-page.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * The bundled sample photo (assets/astronaut.png) with the FaceMesh points recorded for it
 * (assets/astronaut-landmarks.json, checked against a fresh run by render/face.test.ts) and a head
 * model folder served to the page: what the pages that fit the head to the sample take (pipeline's
 * head/photo-head.ts), without running detection again.
 */
export function samplePhotoHead(gpu: GpuPageHandle, modelDir: string, uvSize = 256) {
  const marks = JSON.parse(readFileSync(resolve(ROOT, 'assets/astronaut-landmarks.json'), 'utf8')) as {
    landmarks: [number, number, number][];
  };
  return {
    bytes: new Uint8Array(readFileSync(resolve(ROOT, 'assets/astronaut.png'))),
    name: 'astronaut.png',
    modelUrl: gpu.page.serveDirectory(modelDir),
    uvSize,
    landmarks: marks.landmarks,
  };
}
