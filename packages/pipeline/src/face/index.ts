export { NoFaceError } from './errors.ts';
export { uploadFaceImage, type FaceImage } from './image.ts';
export { FaceModels, HUMAN_MODELS_URL } from './models.ts';
export { detectFaces, type DetectedFace, type DetectOptions } from './detect.ts';
export {
  faceLandmarks,
  meshToImage,
  MESH_POINTS,
  type FaceLandmarks,
  type LandmarkOptions,
} from './landmarks.ts';
export { faceDescriptor, photoDescriptor, startPhotoDescriptor, submitDescriptor } from './descriptor.ts';
export { descriptorSimilarity } from './similarity.ts';
export { faceRoi, cropToImage, letterbox, type FaceRoi, type Affine } from './roi.ts';
