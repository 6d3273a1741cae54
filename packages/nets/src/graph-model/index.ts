export { GraphModel, type GraphOutput } from './model.ts';
export { loadGraphModel, graphModelFromParts, type GraphModelArtifacts, type FetchBytes } from './load.ts';
export { lowerGraphModel, type GraphModelSpec } from './lower.ts';
export type { ConstTensor } from '../tfjs/weights.ts';
