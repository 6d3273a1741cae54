export { CHROMIUM_FLAGS, chromiumPath, launchChromium } from './chromium.ts';
export { GpuPage, TimeoutError, withTimeout, type AdapterInfo } from './gpu-page.ts';
export type { CallOptions, PageModule, Transferred } from './page-module.ts';
export { freePort, REPO_ROOT } from './server.ts';
