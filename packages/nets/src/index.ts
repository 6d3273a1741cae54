// Networks assembled from imported weights (TF.js layers/graph models, PyTorch safetensors), all
// built as one IR (ir/) and run by one executor.
export * from './safetensors/index.ts';
export * from './pix2pixhd/index.ts';
export * from './graph-model/index.ts';
export * from './ir/index.ts';
export * from './identity/index.ts';
export { importLayersModel, fetchLayersModel, type LayersModelSource } from './layers-model/load.ts';
export { parseModelJson, LayersModelError, type LayersModelJson } from './layers-model/model-json.ts';
export {
  readWeights,
  decodeWeight,
  decodeWeightGroup,
  parseWeightsManifest,
  type ShardReader,
  type WeightEntry,
  type WeightGroup,
} from './tfjs/weights.ts';
export { EsrganNet } from './esrgan/esrgan.ts';
export {
  ESRGAN_MODELS,
  esrganModel,
  esrganScales,
  esrganModelUrl,
  toModelRange,
  toPixels,
  type EsrganModelName,
  type EsrganModelInfo,
} from './esrgan/registry.ts';
export { runTiled, type TileNet, type TiledOptions, type TiledResult } from './tiled/tiled.ts';
export { imageGraphMemory, runImageGraph, upscalePixels } from './tiled/image-net.ts';
export {
  planContextWindows,
  chooseTileSize,
  type ContextWindow,
  type MemoryEstimate,
} from './tiled/windows.ts';
