export {
  HEAD_ATLAS,
  GUTTER,
  atlasUv,
  headMeshTopology,
  type AtlasCell,
  type HeadMeshTopology,
} from './atlas.ts';
export { mirrorVertices, mirrorSplitVertices } from './mirror.ts';
export { skinVertices } from './skin.ts';
export { prepareHead, type PreparedHead } from './prepare.ts';
export {
  fitHeadToPhoto,
  fitHeadWeights,
  headGeometry,
  type HeadFit,
  type HeadGeometry,
  type HeadFitOptions,
  type HeadFitQuality,
  type HeadLandmarks,
  type HeadWeightsFit,
  type MouthFit,
} from './fit.ts';
export { headTexturedMesh, ICT_METRES_PER_UNIT } from './export.ts';
export { specularPriorForHead } from './specular-prior.ts';
