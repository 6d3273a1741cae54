export { GraphModel, toNhwc, tfShapeOf, type GraphOutput } from './executor.ts';
export { loadGraphModel, graphModelFromParts, type GraphModelArtifacts, type FetchBytes } from './load.ts';
export { planGraph, type GraphPlan, type Step } from './plan.ts';
export type { ConstTensor } from './weights.ts';
