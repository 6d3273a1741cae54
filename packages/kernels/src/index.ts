export { KernelContext, type KernelContextOptions, type Binding } from './core/context.ts';
export { Tensor, type Shape4 } from './core/tensor.ts';
export { KernelError } from './core/errors.ts';
export { reflectBindings, packUniforms, type BindingInfo } from './core/program.ts';
export {
  createProgramsAhead,
  pipelineStats,
  pipelineStatsSince,
  programSources,
  programsReady,
  setProgramPhase,
  type PipelineStats,
  type ProgramSource,
} from './core/pipeline-cache.ts';
export { BufferPool } from './core/pool.ts';
export { requestKernelDevice } from './core/device.ts';
export { expandTemplate, type TemplateValues, type WgslIncludes } from './core/template.ts';
export { WGSL_INCLUDES } from './core/includes.ts';
export { grid1d } from './core/grid.ts';
export { pad, type PadMode, type PadSpec } from './pad/pad.ts';
export type { Activation, Padding } from './core/types.ts';
export { Conv2d, packConvWeights, type Conv2dOptions } from './conv/conv2d.ts';
export { resolvePadding, convOutputSize, convTransposeOutputSize } from './conv/geometry.ts';
export { chooseConvTiling, adapterProfile, type ConvTiling, type AdapterProfile } from './conv/tiling.ts';
export {
  compileTier,
  compileTierPolicy,
  resetCompileTierWork,
  setCompileTierPolicy,
  type CompileTier,
  type CompileTierPolicy,
} from './core/compile-tier.ts';
export { binary, unary, binaryBroadcast, type BinaryOp, type UnaryOp } from './elementwise/elementwise.ts';
export {
  resize,
  upsampleNearest,
  type ResizeMode,
  type CoordinateMode,
  type ResizeOptions,
} from './resize/resize.ts';
export type { NearestRounding } from './resize/coordinates.ts';
export { concat } from './concat/concat.ts';
export { convKind, depthwiseToGroupedHWIO, packGroupedWeights, type ConvKind } from './conv/conv2d.ts';
export { depthToSpace, type DepthToSpaceOrder } from './pixel-shuffle/pixel-shuffle.ts';
export { blendshapes, Blendshapes } from './blendshapes/blendshapes.ts';
export { blendshapesReference } from './blendshapes/reference.ts';
export { blendshapesTranspose } from './blendshapes/transpose.ts';
export { Adam } from './optim/adam.ts';
export { ADAM_DEFAULTS, adamStepReference, type AdamHyper } from './optim/reference.ts';
export { reshape, slice, resolveReshape, resolveSlice } from './reshape/reshape.ts';
export { rgba8ToTensor, tensorToRgba8, readRgba8, type PerChannel } from './image/convert/convert.ts';
export {
  ConvTranspose2d,
  torchConvTransposeWeightsToTf,
  type ConvTranspose2dOptions,
} from './conv/conv-transpose2d.ts';
export { affineWarp, type AffineMatrix, type AffineWarpOptions } from './image/warp/affine-warp.ts';
export {
  rasterize,
  planRaster,
  Triangles,
  type RasterMode,
  type RasterPlan,
  type RasterizeOptions,
} from './raster/rasterize.ts';
export { interpolate } from './raster/interpolate.ts';
export { texture, type TextureOptions } from './raster/texture.ts';
export { interpolateBackward, textureBackward } from './raster/backward.ts';
export { antialias, antialiasBackward } from './raster/antialias.ts';
export { positionBounds, type PositionBounds } from './raster/bounds.ts';
export { globalMean, moments, planMoments, type MomentsOptions } from './reduce/moments.ts';
export { softmax } from './reduce/softmax.ts';
export {
  instanceNorm,
  batchNorm,
  foldBatchNorm,
  type BatchNormParams,
  type NormActivation,
} from './norm/norm.ts';
export { gaussianBlur, defaultBlurRadius, type GaussianBlurOptions } from './image/blur/gaussian-blur.ts';
export { subsurfaceBlur, type SubsurfaceBlurOptions } from './image/subsurface/subsurface.ts';
export { pool2d, planPool2d, type Pool2dOptions, type PoolPlan } from './pool/pool.ts';
export { ceilModeExtraPads } from './pool/ceil-mode.ts';
export { pushPullInpaint, pyramidSizes } from './image/inpaint/inpaint.ts';
export { Dense, type DenseOptions } from './dense/dense.ts';
export { accumulateTile, normalizeTiles, type AccumulateTileOptions } from './image/tiles/tiles.ts';
export {
  planTiles,
  planAxis,
  featherRamp,
  featherWeight,
  type TileWindow,
  type Feather,
} from './image/tile-plan.ts';
export { shProject, prefilterSpecular, brdfLut, type PrefilterOptions } from './ibl/ibl.ts';
export {
  accumulateVisibility,
  ambientOcclusion,
  type AmbientOcclusionOptions,
} from './visibility/visibility.ts';
export {
  poissonBlend,
  poissonSchedule,
  POISSON_LABEL,
  type PoissonBlendOptions,
  type PoissonLevel,
} from './poisson/poisson.ts';
export {
  patchMatchFill,
  planPatchMatch,
  type PatchMatchOptions,
  type PatchMatchPlan,
} from './patchmatch/patchmatch.ts';
export {
  Conv2dBackwardData,
  backwardDataMode,
  packBackwardDataWeights,
  type Conv2dBackwardDataOptions,
} from './conv/backward-data.ts';
export {
  activationBackward,
  minMaxBackward,
  type ActivationGradOp,
  type ActivationGradOptions,
} from './elementwise/backward.ts';
export { pool2dBackward } from './pool/backward.ts';
export { globalMeanBackward } from './reduce/mean-backward.ts';
