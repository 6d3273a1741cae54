// Node side of the tests. Page modules (*.gpu.ts) import '@avatarme/testing/page' instead: this entry
// pulls in vitest, puppeteer and Vite, which cannot load in the page.
export { assertClose, compareArrays, type Comparison } from './compare.ts';
export { encodeTestPng } from './png.ts';
export { randomArray, rng } from './random.ts';
export { samplePhotoHead } from './sample-photo.ts';
export { useGpuPage, type GpuPageHandle } from './use-gpu-page.ts';
export type { PageModule } from '@avatarme/browser-runtime';
