// The helpers that also run in the page (inside *.gpu.ts): nothing here may import Node, vitest or
// the browser runtime.
export { assertClose, compareArrays, type Comparison } from './compare.ts';
export { decodeTestImage } from './image.ts';
export { randomArray, rng } from './random.ts';
