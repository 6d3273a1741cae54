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
