// The one network IR: every importer builds a GraphSpec, the passes rewrite and analyse it, Graph runs it.
export type { GraphSpec, GraphNode, GraphOp, ConvOp, ConvTransposeOp } from './spec.ts';
export { consumerCounts } from './spec.ts';
export {
  inferShapes,
  inferValues,
  nodeOutputShape,
  graphFlops,
  tensorBytes,
  toNhwc,
  tfShapeOf,
  GraphError,
  type ValueInfo,
} from './shapes.ts';
export { fuseGraph, dropIdentities, optimiseGraph } from './fuse.ts';
export { foldUpsampleIntoConv, phaseWeights } from './upsample-conv.ts';
export { planMemory, type MemoryPlan } from './plan.ts';
export { swapLastTwoAxes } from './layers.ts';
export { Graph, type GraphRunStats } from './graph.ts';
export { adjointNeeds, planInputGradient, type InputGradientPlan } from './gradient-plan.ts';
export { InputGradientTape } from './gradient.ts';
