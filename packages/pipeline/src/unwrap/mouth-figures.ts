// Figures of a texture's lips against the photo's: how many lip texels carry teeth (lighter and greyer
// than the lips) or the mouth's dark inside. Pure functions, for the sample-photo test and for
// measuring a reconstruction's atlas.
import { insidePolygon } from '../math/polygon.ts';
import { linearRgbToLab, srgbToLinear } from '../math/colour.ts';
import type { MouthContours } from './mouth-opening.ts';

/** Multi-PIE outer-lip landmarks 48–59, in order around the mouth. */
export const OUTER_LIP_68 = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59];

const labOf = (rgb: ArrayLike<number>, i: number) =>
  linearRgbToLab(srgbToLinear(rgb[3 * i]), srgbToLinear(rgb[3 * i + 1]), srgbToLinear(rgb[3 * i + 2]));

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
/** L* this far below the photo's lips': a texel shows the mouth's dark inside or corner shadow. */
export const DARK_L_DROP = 20;

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
