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
