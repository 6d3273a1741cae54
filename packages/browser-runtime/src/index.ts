export { buildPageBundle, pageModulePath, pageSourceHash } from './bundle.ts';
export {
  CHROMIUM_FLAGS,
  chromiumPath,
  launchChromium,
  lockProfile,
  stopOrphanedChromium,
} from './chromium.ts';
export {
  GpuPage,
  TimeoutError,
  withTimeout,
  type AdapterInfo,
  type OpenOptions,
  type OpenTimings,
  type SharedHarness,
} from './gpu-page.ts';
export { pageModuleProxy, type CallOptions, type PageModule, type Transferred } from './page-module.ts';
export { decodeValue, encodeValue } from './transfer.ts';
export { BlobStore, freePort, REPO_ROOT, startPageServer } from './server.ts';
