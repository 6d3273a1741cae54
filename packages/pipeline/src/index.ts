export { decodeImage, encodePng, rgbaToRgbFloat, rgbFloatToRgba, type RgbaImage } from './image/codec.ts';
export { MorphableModelError } from './morphable/errors.ts';
export { parseObj, parseObjPositions, type ObjMesh, type TriangleGroup } from './morphable/obj.ts';
export {
  evaluateShape,
  evaluateVertices,
  basisRows,
  modeCount,
  splitWeights,
  type MorphableModel,
  type ModeSet,
  type VertexRegion,
} from './morphable/model.ts';
export { assembleModel, parseManifest, type ModelManifest, type ModelFiles } from './morphable/format.ts';
export { loadMorphableModel, fetchModelReader, type ModelFileReader } from './morphable/load.ts';
export { uvMesh, gatherPositions, type UvMesh } from './morphable/uv-mesh.ts';
export {
  canonicalFace,
  mirrorVertexMap,
  skinTriangles,
  FACE_VERTEX_COUNT,
  type FaceMesh,
} from './mesh/face-mesh.ts';
export {
  Subdivision,
  planLoopSubdivision,
  applyVertexMap,
  type SubdivisionLevel,
  type VertexMap,
} from './mesh/subdivide.ts';
export { vertexNormals } from './mesh/normals.ts';
export {
  fitFace,
  reprojectionError,
  type FaceFit,
  type FaceFitOptions,
  type Landmarks,
} from './fit/face-fit.ts';
export {
  clipPositions,
  depthRangeOf,
  headAngles,
  FRONTAL,
  type WeakPerspectiveCamera,
} from './fit/camera.ts';
export { fitSimilarity, applySimilarity, invertSimilarity, type Similarity } from './fit/similarity.ts';
export { fitShLighting, type ShFit } from './fit/lighting.ts';
export { linearRgbToLab, linearToSrgb, luminance, srgbToLinear } from './math/colour.ts';
export * from './face/index.ts';
export { unwrapSurface, type UnwrapOptions, type UnwrapResult, type UnwrapStats } from './unwrap/unwrap.ts';
export { deshadedSkinTone, farFromKnown, DEFAULT_SKIN_TONE } from './unwrap/fill.ts';
export { TexelSource, type CompletionStats } from './unwrap/texels.ts';
export { renderSurface, type SurfaceRender, type RenderOptions } from './render/render.ts';
export type { PosedSurface, SurfaceModel, CompletionRegion } from './surface/surface.ts';
export { faceMeshSurface, faceMeshSurfaceModel } from './surface/facemesh.ts';
export { headSurface, headSurfaceModel } from './surface/head.ts';
export { bundledHeadModelUrl } from './morphable/bundled.ts';
export { renderOverlay, type OverlayResult, type PhotoTensor } from './render/overlay.ts';
export { psnr, composite, encodeVectors } from './render/quality.ts';
export { FACEMESH_TO_68, faceMeshTo68 } from './morphable/facemesh68.ts';
export { lipGap, mouthOpenness, MOUTH_OPEN_RAMP, type MouthOpenRamp } from './morphable/mouth-open.ts';
export {
  fitToLandmarks,
  fitToPoints,
  type FitOptions,
  type LandmarkFit,
  type PointTargets,
} from './morphable/fit.ts';
export {
  FRONTAL_ROTATION,
  projectPoints,
  transformPoints,
  type Pose,
  type ScaledOrthographicCamera,
} from './morphable/pose.ts';
export { fitQuality, landmarkError, type FitQuality, type LandmarkError } from './morphable/quality.ts';
export { refineWithDensePoints, type DenseOptions, type DenseRefinement } from './morphable/dense.ts';
export { fittedMesh, imageSpaceVertices, type FittedMesh } from './morphable/fitted-mesh.ts';
export { importFaceXModel, type ImportedModel } from './morphable/import-facex.ts';
export { MorphableModelGpu } from './morphable/gpu.ts';
export * from './head/index.ts';
export { reconstruct } from './reconstruct/reconstruct.ts';
export {
  STAGES,
  type Stage,
  type Progress,
  type ReconstructOptions,
  type ReconstructionMaps,
  type ReconstructionResult,
  type ReflectanceBackend,
} from './reconstruct/types.ts';
export {
  SkinRenderer,
  VIEW_MODES,
  type SkinMaps,
  type SkinView,
  type ViewMode,
} from './skin-render/skin-render.ts';
export { CanvasPresenter } from './skin-render/present.ts';
export {
  IblEnvironment,
  HDR_ENVIRONMENT_NAMES,
  type HdrEnvironmentName,
} from './skin-render/ibl-environment.ts';
export {
  renderViews,
  VIEW_NAMES,
  VIEW_YAWS,
  type ViewName,
  type RenderViewsOptions,
  type RenderedView,
} from './skin-render/views.ts';
export type { TexturedMesh } from './export/mesh.ts';
export { readAvatarGlb, type AvatarGlb } from './export/read-glb.ts';
