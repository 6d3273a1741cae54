export { GraphModel, type GraphOutput } from './model.ts';
export {
  fetchGraphModelFiles,
  graphModelFromFiles,
  graphModelFromParts,
  loadGraphModel,
  type FetchBytes,
  type GraphModelArtifacts,
  type GraphModelFiles,
} from './load.ts';
export { lowerGraphModel, type GraphModelSpec } from './lower.ts';
export type { ConstTensor } from '../tfjs/weights.ts';
