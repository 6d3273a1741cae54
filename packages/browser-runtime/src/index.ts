export { buildPageBundle, pageModulePath, pageSourceHash } from './bundle.ts';
export { CHROMIUM_FLAGS, chromiumPath, launchChromium, lockProfile } from './chromium.ts';
export {
  GpuPage,
  TimeoutError,
  withTimeout,
  type AdapterInfo,
  type OpenOptions,
  type OpenTimings,
} from './gpu-page.ts';
export { pageModuleProxy, type CallOptions, type PageModule, type Transferred } from './page-module.ts';
export { freePort, REPO_ROOT } from './server.ts';
