export { GpuPage, withTimeout, type AdapterInfo } from './gpu-page.ts';
export { useGpuPage } from './vitest.ts';
export { compareArrays, assertClose, type Comparison } from './compare.ts';
export { launchChromium, chromiumPath, CHROMIUM_FLAGS } from './chromium.ts';
