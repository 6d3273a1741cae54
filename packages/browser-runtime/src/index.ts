export { CHROMIUM_FLAGS, chromiumPath, launchChromium } from './chromium.ts';
export { GpuPage, TimeoutError, withTimeout, type AdapterInfo } from './gpu-page.ts';
export { pageModuleProxy, type CallOptions, type PageModule, type Transferred } from './page-module.ts';
export { freePort, REPO_ROOT } from './server.ts';
