export {
  pix2pixhdLayout,
  parameterSpec,
  convLayers,
  sizeMultiple,
  checkOptions,
  PIX2PIXHD_DEFAULTS,
  type Pix2PixHDOptions,
  type Pix2PixHDLayout,
  type NormKind,
  type Layer,
  type ConvLayer,
  type ResLayer,
  type ParamSpec,
} from './architecture.ts';
export { checkStateDict, describeLayout } from './state-dict.ts';
export { Pix2PixHDGenerator } from './generator.ts';
export { pix2pixhdGraph } from './graph.ts';
export { torchConvWeightsToHWIO } from './weights.ts';
export {
  AVATARME_NETWORKS,
  AVATARME_ARCHITECTURE,
  REFLECTANCE_MAPS,
  NETWORK_INPUTS,
  DEFAULT_FILES,
  type ReflectanceMap,
  type NetworkInput,
  type ReflectanceNetworkConfig,
} from './avatarme.ts';
export {
  parseManifest,
  manifestJson,
  MANIFEST_FORMAT,
  MANIFEST_FILE,
  type NetworkEntry,
  type ReflectanceManifest,
} from './manifest.ts';
export {
  fetchWeightSource,
  directoryWeightSource,
  resolveWeightSource,
  type WeightSource,
} from './source.ts';
export {
  loadReflectanceNetworks,
  ReflectanceNetwork,
  type ReflectanceNetworks,
  type LoadOptions,
} from './loader.ts';
