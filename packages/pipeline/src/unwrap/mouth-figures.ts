// Figures of a texture's lips against the photo's: how many lip texels carry teeth (lighter and greyer
// than the lips) or the mouth's dark inside. Pure functions, for the sample-photo test and for
// measuring a reconstruction's atlas.
import { insidePolygon } from '../math/polygon.ts';
import { srgbPixelToLab as labOf } from '../math/colour.ts';
import { DARK_L_DROP } from './mouth-interior.ts';
import type { MouthContours } from './mouth-opening.ts';

/** Multi-PIE outer-lip landmarks 48–59, in order around the mouth. */
export const OUTER_LIP_68 = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59];

const median = (v: number[]) => {
  const s = v.slice().sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};

/** Depth (cm) behind the outline's deepest landmark still counted as lips: the inner lips, not the neck behind. */
const LIP_DEPTH_CM = 2;

/**
 * 1 on the texels of the lips [S·S]: texels of region `lipRegion` whose model-space x, y (seen from the
 * front) fall inside the head's own outer-lip outline (`outline`, model space x, y, z) and lie at most
 * LIP_DEPTH_CM behind it, the inner lips rolled into the mouth included. positionMap [S·S·3]; region
 * per texel [S·S].
 */
export function lipTexels(
  size: number,
  positionMap: ArrayLike<number>,
  region: ArrayLike<number>,
  lipRegion: number,
  outline: readonly (readonly [number, number, number])[],
): Uint8Array {
  const back = Math.min(...outline.map((p) => p[2])) - LIP_DEPTH_CM;
  const xy = outline.map(([x, y]) => [x, y] as const);
  return Uint8Array.from({ length: size * size }, (_, i) =>
    region[i] === lipRegion &&
    positionMap[3 * i + 2] >= back &&
    insidePolygon(positionMap[3 * i], positionMap[3 * i + 1], xy)
      ? 1
      : 0,
  );
}

/** Median L*a*b* of the photo's lips: the pixels between the outer and inner lip contours. photo sRGB [H·W·3]. */
export function photoLipLab(
  photo: ArrayLike<number>,
  width: number,
  height: number,
  mouth: MouthContours,
): [number, number, number] {
  const lab: [number[], number[], number[]] = [[], [], []];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [cx, cy] = [x + 0.5, y + 0.5];
      if (!insidePolygon(cx, cy, mouth.outer) || insidePolygon(cx, cy, mouth.inner)) continue;
      labOf(photo, y * width + x).forEach((v, k) => lab[k].push(v));
    }
  return [median(lab[0]), median(lab[1]), median(lab[2])];
}

/** Chroma this far below the photo's lips', and lighter than them: a texel shows teeth, not lip. */
export const TEETH_CHROMA_DROP = 10;

export interface LipFigures {
  lipTexels: number;
  /** Lip texels lighter than the photo's lips and TEETH_CHROMA_DROP less chromatic. */
  teethLike: number;
  /** Lip texels DARK_L_DROP darker than the photo's lips. */
  dark: number;
  /** Median L*, C*ab of the lip texels, and the photo's lips'. */
  texture: { L: number; C: number };
  photo: { L: number; C: number };
}

/** The lip texels' colours in `rgb` (sRGB [S·S·3]) against the photo's lip colour (L*a*b*). */
export function lipFigures(
  rgb: ArrayLike<number>,
  lips: Uint8Array,
  photoLab: readonly [number, number, number],
): LipFigures {
  const chroma = (lab: readonly number[]) => Math.hypot(lab[1], lab[2]);
  const [pL, pC] = [photoLab[0], chroma(photoLab)];
  let [count, teethLike, dark] = [0, 0, 0];
  const [Ls, Cs]: [number[], number[]] = [[], []];
  lips.forEach((l, i) => {
    if (!l) return;
    const lab = labOf(rgb, i);
    count++;
    Ls.push(lab[0]);
    Cs.push(chroma(lab));
    if (lab[0] > pL && chroma(lab) < pC - TEETH_CHROMA_DROP) teethLike++;
    if (lab[0] < pL - DARK_L_DROP) dark++;
  });
  return {
    lipTexels: count,
    teethLike,
    dark,
    texture: { L: median(Ls), C: median(Cs) },
    photo: { L: pL, C: pC },
  };
}

/** The texels of an atlas cell (x, y, side in atlas UV, v down) that lie in the layout (`source` > 0) [S·S]. */
export function cellTexels(
  size: number,
  cell: { x: number; y: number; size: number },
  source: ArrayLike<number>,
): Uint8Array {
  return Uint8Array.from({ length: size * size }, (_, i) => {
    const [u, v] = [(i % size) / size, Math.floor(i / size) / size];
    return source[i] > 0 && u >= cell.x && u < cell.x + cell.size && v >= cell.y && v < cell.y + cell.size
      ? 1
      : 0;
  });
}

/**
 * Median L*a*b* of the pixels of the photo's mouth opening (`opening` 1 [H·W]) lighter than
 * `lighterThan` (L*): with the lips' L*, its teeth, without the dark inside and the gaps between
 * them. photo sRGB [H·W·3]. NaN when there are none.
 */
export function photoOpeningLab(
  photo: ArrayLike<number>,
  opening: ArrayLike<number>,
  lighterThan = -Infinity,
): [number, number, number] {
  const lab: [number[], number[], number[]] = [[], [], []];
  for (let i = 0; i < opening.length; i++) {
    if (!opening[i]) continue;
    const c = labOf(photo, i);
    if (c[0] > lighterThan) c.forEach((v, k) => lab[k].push(v));
  }
  return [median(lab[0]), median(lab[1]), median(lab[2])];
}

/** A set of texels: how many, and their median L*a*b*. */
export interface TexelColours {
  count: number;
  lab: [number, number, number];
}

function colours(rgb: ArrayLike<number>, texels: number[]): TexelColours {
  const lab: [number[], number[], number[]] = [[], [], []];
  for (const i of texels) labOf(rgb, i).forEach((v, k) => lab[k].push(v));
  return { count: texels.length, lab: [median(lab[0]), median(lab[1]), median(lab[2])] };
}

/**
 * The texels flagged in `mask` [S·S]: how many; the seen ones (`confidence` > 0) and, of those, the
 * ones lighter than `lighterThan` (L*; the lips'), with their median colours in `rgb` (sRGB [S·S·3]);
 * and how many seen ones are DARK_L_DROP darker than it.
 */
export function seenFigures(
  rgb: ArrayLike<number>,
  mask: Uint8Array,
  confidence: ArrayLike<number>,
  lighterThan: number,
): { texels: number; seen: TexelColours; light: TexelColours; dark: number } {
  const seen: number[] = [];
  mask.forEach((m, i) => m && confidence[i] > 0 && seen.push(i));
  const light = seen.filter((i) => labOf(rgb, i)[0] > lighterThan);
  return {
    texels: mask.reduce((a, b) => a + b, 0),
    seen: colours(rgb, seen),
    light: colours(rgb, light),
    dark: seen.filter((i) => labOf(rgb, i)[0] < lighterThan - DARK_L_DROP).length,
  };
}
