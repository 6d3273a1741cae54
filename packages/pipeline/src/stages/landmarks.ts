import { faceLandmarks } from '../face/index.ts';
import type { Landmarks } from '../surface/surface.ts';
import type { Detection } from './detect.ts';

/** FaceMesh's 468 landmarks ([x, y, z] image pixels) of the largest face. */
export async function landmarksStage(detection: Detection): Promise<Landmarks> {
  const { models, photo, faces } = detection;
  return (await faceLandmarks(models, photo, faces[0])).landmarks;
}
