// The photo's face crop for super-resolution before unwrapping (pure functions, tested in Node).
import type { PosedSurface } from '../surface/surface.ts';

/** Margin (pixels of the photo) kept around the surface's projection when cropping for super-resolution. */
const CROP_MARGIN = 4;
/** Longest side of the super-resolved crop: a larger crop is shrunk before ESRGAN (memory; the atlas cannot use more). */
export const MAX_SR_SIDE = 4096;

/**
 * The pixel box of the photo that the surface covers (its projected vertices, plus a margin, inside
 * the photo): [x0, y0, width, height].
 */
export function surfaceCrop(surface: PosedSurface): [number, number, number, number] {
  const { width, height } = surface.camera;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const p = surface.cameraPositions;
  for (let i = 0; i < p.length; i += 3) {
    [x0, x1] = [Math.min(x0, p[i]), Math.max(x1, p[i])];
    [y0, y1] = [Math.min(y0, p[i + 1]), Math.max(y1, p[i + 1])];
  }
  const left = Math.max(0, Math.floor(x0) - CROP_MARGIN);
  const top = Math.max(0, Math.floor(y0) - CROP_MARGIN);
  const right = Math.min(width, Math.ceil(x1) + CROP_MARGIN);
  const bottom = Math.min(height, Math.ceil(y1) + CROP_MARGIN);
  if (!(right > left && bottom > top))
    throw new RangeError(`unwrap: the fitted surface projects outside the ${width}×${height} photo`);
  return [left, top, right - left, bottom - top];
}

/**
 * The surface as seen in a crop of the photo resampled to width × height: camera-frame x, y shifted
 * to the crop and scaled, z scaled by the mean of the two scales (depth tolerances are in pixels);
 * model space unchanged.
 */
export function surfaceInCrop(
  surface: PosedSurface,
  crop: [number, number, number, number],
  width: number,
  height: number,
): PosedSurface {
  const [x0, y0, w, h] = crop;
  const [sx, sy] = [width / w, height / h];
  const cameraPositions = Float32Array.from(surface.cameraPositions, (v, i) =>
    i % 3 === 0 ? (v - x0) * sx : i % 3 === 1 ? (v - y0) * sy : (v * (sx + sy)) / 2,
  );
  return { ...surface, camera: { ...surface.camera, width, height }, cameraPositions };
}
