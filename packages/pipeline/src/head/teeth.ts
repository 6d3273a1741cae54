// The upper teeth placed where the photo shows them. ICT's upper teeth and gums are fixed to the skull
// (no expression mode moves them), so where they end in the photo follows from the pose and identity
// that the rest of the face fits, not from the mouth: on the bundled sample (an open smile) they ended
// ~2 px above the teeth the photo shows, and the tongue and lower gums showed in between as a dark band.
// When the photo's lips are apart, the upper jaw moves down the face until its teeth reach as far as
// the photo's do. Closed mouths keep the head as fitted.
import type { MorphableModel } from '../morphable/model.ts';
import { transformPoints } from '../morphable/pose.ts';
import { medianLightness } from '../unwrap/mouth-interior.ts';
import { MOUTH_PIXEL, mouthPixels, type MouthContours } from '../unwrap/mouth-opening.ts';
import { srgbPixelToLab } from '../math/colour.ts';
import type { HeadGeometry } from './fit.ts';
import { regionVertices } from './gaze.ts';

/** An expression mode moving a vertex less than this (cm) leaves it where it is. */
const STILL_CM = 1e-3;

/**
 * Furthest the upper jaw moves (cm): a third of an upper incisor's crown (~10 mm). The photo's teeth
 * can end far lower than the model's only when the detector's lips or the fit are wrong.
 */
export const MAX_TEETH_DROP_CM = 0.4;

/** Columns of the photo's teeth the drop needs: fewer is a highlight, not teeth. */
const MIN_COLUMNS = 3;

/** Model vertices of `region` that no expression mode moves (the upper jaw's, for teeth and gums). */
export function stillVertices(model: MorphableModel, region: string): Set<number> {
  const r = model.regions.find((x) => x.name === region);
  const out = new Set<number>();
  if (!r) return out;
  const { count, data } = model.expression;
  const V = model.vertexCount;
  for (let v = r.first; v <= r.last; v++) {
    let moves = false;
    for (let m = 0; m < count && !moves; m++)
      for (let k = 0; k < 3; k++) if (Math.abs(data[(m * V + v) * 3 + k]) >= STILL_CM) moves = true;
    if (!moves) out.add(v);
  }
  return out;
}

/**
 * The photo's teeth [H·W]: pixels of the mouth's opening (mouthPixels' labels) lighter than the lips'
 * median (the convention of the mouth's figures: the dark inside, the tongue and the gaps are darker).
 * photo sRGB [H·W·3] in [0, 1].
 */
export function photoTeethPixels(photo: ArrayLike<number>, labels: Uint8Array): Uint8Array {
  const lipsL = medianLightness(photo, labels, MOUTH_PIXEL.lips);
  const teeth = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++)
    if (labels[i] === MOUTH_PIXEL.opening && srgbPixelToLab(photo, i)[0] > lipsL) teeth[i] = 1;
  return teeth;
}

/**
 * How far (pixels, down the photo) the model's upper teeth must move to end where the photo's teeth
 * do: per photo column with teeth pixels and projected teeth vertices, the bottom edge of its lowest
 * teeth pixel less the lowest projected vertex; the median over those columns. The photo's lower edge
 * is where its teeth stop being seen (the lower lip may hide the rest), so it is a bound the teeth
 * must reach, not one they must stop at: the drop is never negative. undefined when fewer than
 * MIN_COLUMNS columns have both. teeth [H·W]; projected [n·2] photo pixels (x, y down).
 */
export function upperTeethDropPx(
  teeth: Uint8Array,
  width: number,
  projected: ArrayLike<number>,
): { dropPx: number; columns: number } | undefined {
  const height = teeth.length / width;
  const modelBottom = new Map<number, number>();
  for (let i = 0; i < projected.length; i += 2) {
    const column = Math.floor(projected[i]);
    modelBottom.set(column, Math.max(modelBottom.get(column) ?? -Infinity, projected[i + 1]));
  }
  const misses: number[] = [];
  for (const [column, bottom] of modelBottom) {
    if (column < 0 || column >= width) continue;
    let lowest = -1;
    for (let y = 0; y < height; y++) if (teeth[y * width + column]) lowest = y;
    if (lowest >= 0) misses.push(lowest + 1 - bottom);
  }
  if (misses.length < MIN_COLUMNS) return undefined;
  misses.sort((a, b) => a - b);
  const mid = misses.length >> 1;
  const median = misses.length % 2 ? misses[mid] : (misses[mid - 1] + misses[mid]) / 2;
  return { dropPx: Math.max(0, median), columns: misses.length };
}

/** How the upper jaw was placed (report.json fit.mouth.teeth). */
export interface TeethPlacement {
  /** Photo columns where the photo's teeth and the model's were compared. */
  columns: number;
  /** How far down the photo the model's teeth had to move (pixels), and how far they moved (cm, model space). */
  dropPx: number;
  dropCm: number;
}

/**
 * The head with its upper jaw (teeth and gums that no expression mode moves; the gums from the
 * teeth's lowest point up) moved down the face, along the model's −y, so its teeth end where the
 * photo's do (upperTeethDropPx), at most MAX_TEETH_DROP_CM; placed in the photo as the rest of the head
 * is (by its weak pose). The head is returned as it is when `openness` (morphable/mouth-open.ts) is 0.
 * photo sRGB [H·W·3] in [0, 1].
 */
export function placeUpperTeeth(
  head: HeadGeometry,
  model: MorphableModel,
  photo: { pixels: ArrayLike<number>; width: number; height: number },
  mouth: MouthContours,
  openness: number,
): { head: HeadGeometry; placement?: TeethPlacement } {
  if (!(openness > 0)) return { head };
  const { sourceVertex } = head.topology;
  const positions = head.mesh.positions;
  const stillTeeth = stillVertices(model, 'teeth');
  const teeth = Array.from(regionVertices(head, 'teeth')).filter((v) => stillTeeth.has(sourceVertex[v]));
  if (teeth.length === 0) return { head };
  const labels = mouthPixels(photo.pixels, photo.width, photo.height, mouth);
  const projected = new Float64Array(2 * teeth.length);
  teeth.forEach((v, i) => projected.set(head.cameraPositions.subarray(3 * v, 3 * v + 2), 2 * i));
  const drop = upperTeethDropPx(photoTeethPixels(photo.pixels, labels), photo.width, projected);
  if (!drop) return { head };
  // Pixels per centimetre down the face, at the teeth's lowest point.
  let lowest = teeth[0];
  for (const v of teeth) if (positions[3 * v + 1] < positions[3 * lowest + 1]) lowest = v;
  const at = [positions[3 * lowest], positions[3 * lowest + 1], positions[3 * lowest + 2]];
  const pxPerCm =
    transformPoints(head.camera, [at[0], at[1] - 1, at[2]])[1] - transformPoints(head.camera, at)[1];
  if (!(pxPerCm > 0)) return { head };
  const dropCm = Math.min(MAX_TEETH_DROP_CM, drop.dropPx / pxPerCm);
  const placement = { columns: drop.columns, dropPx: drop.dropPx, dropCm };
  if (dropCm === 0) return { head, placement };
  const stillGums = stillVertices(model, 'gums_and_tongue');
  const gums = Array.from(regionVertices(head, 'gums_and_tongue')).filter(
    (v) => stillGums.has(sourceVertex[v]) && positions[3 * v + 1] >= at[1],
  );
  // A translation: the normals keep their directions.
  const moved = Float32Array.from(positions);
  const cameraPositions = Float32Array.from(head.cameraPositions);
  for (const v of [...teeth, ...gums]) {
    moved[3 * v + 1] -= dropCm;
    cameraPositions.set(transformPoints(head.camera, moved.subarray(3 * v, 3 * v + 3)), 3 * v);
  }
  return { head: { ...head, mesh: { ...head.mesh, positions: moved }, cameraPositions }, placement };
}
