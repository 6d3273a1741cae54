// Networks assembled from imported weights (TF.js layers/graph models, PyTorch safetensors).
export {};
export * from './safetensors/index.ts';
export * from './pix2pixhd/index.ts';
export * from './graph-model/index.ts';
export { Graph, type GraphRunStats } from './graph/graph.ts';
export { fuseGraph } from './graph/fuse.ts';
export { foldUpsampleIntoConv } from './graph/upsample-conv.ts';
export { planMemory, type MemoryPlan } from './graph/plan.ts';
export { inferShapes, graphFlops, GraphError } from './graph/shapes.ts';
export type { GraphSpec, GraphNode, GraphOp } from './graph/spec.ts';
export { importLayersModel, fetchLayersModel, type LayersModelSource } from './layers-model/load.ts';
export { parseModelJson, LayersModelError, type LayersModelJson } from './layers-model/model-json.ts';
export { readWeights, type ShardReader } from './layers-model/weights.ts';
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
export { planContextWindows, chooseTileSize, type ContextWindow } from './tiled/windows.ts';
