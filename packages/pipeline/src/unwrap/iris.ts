import type { Rgb } from '../surface/surface.ts';

/** An iris seen in the photo: centre and radius in photo pixels (face/iris.ts). */
export interface IrisDisc {
  centre: readonly [number, number] | readonly number[];
  radius: number;
}

export interface IrisLayout {
  size: number;
  /** Completed texture [S·S·3], changed in place. */
  texture: Float32Array;
  /** > 0 where the photo showed the texel [S·S]. */
  confidence: Float32Array;
  /** Completion region per texel (1-based, 0 outside the layout) [S·S]. */
  region: Uint8Array;
  /** Per texel: camera x, y (pixels) at channels 0–1 and the camera-frame normal at 3–5 [S·S·channels]. */
  attributes: Float32Array;
  channels: number;
}

/** Rings of the iris's radial colour profile: the pupil, the iris's zones and the limbus. */
const RINGS = 8;
/** Width of the soft edge between iris and sclera, in iris radii. */
const LIMBUS = 0.15;

export interface IrisStats {
  /** Iris texels the photo did not show (under the eyelids) given the seen iris's ring colour. */
  completed: number;
  /** Unseen texels outside the iris set to the sclera colour. */
  sclera: number;
}

/**
 * Completes each eyeball as a round iris on a sclera. An eyeball region's texels facing the camera
 * whose photo position lies within an iris's radius of its centre are iris; the photo shows only the
 * part between the eyelids, so an unseen iris texel takes the mean colour of the seen ones at the same
 * distance from the centre (radial rings: pupil dark, limbal ring darker), and an unseen texel outside
 * it the region's sclera fill, instead of what the mirror or push-pull carried there (the other eye's
 * iris at the wrong place, eyelid colours). Each iris goes to the eyeball region whose facing texels
 * lie nearest its centre. Seen texels keep the photo.
 */
export function completeIrises(
  layout: IrisLayout,
  irises: readonly IrisDisc[],
  eyeballRegions: readonly { id: number; sclera: Rgb }[],
): IrisStats {
  const { size, texture, confidence, region, attributes, channels } = layout;
  const stats: IrisStats = { completed: 0, sclera: 0 };
  const texels = size * size;
  const facing = (i: number) => attributes[channels * i + 5] < 0;
  const dist = (i: number, iris: IrisDisc) =>
    Math.hypot(attributes[channels * i] - iris.centre[0], attributes[channels * i + 1] - iris.centre[1]) /
    iris.radius;

  const taken = new Set<number>();
  for (const iris of irises) {
    if (!(iris.radius > 0)) continue;
    // The eyeball whose facing texels come nearest the iris centre.
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < texels; i++) {
      const r = region[i];
      if (!facing(i) || taken.has(r) || !eyeballRegions.some((e) => e.id === r)) continue;
      const d = dist(i, iris);
      if (d < bestD) [bestD, best] = [d, r];
    }
    if (best < 0 || bestD > 1) continue;
    taken.add(best);
    const sclera = eyeballRegions.find((e) => e.id === best)!.sclera;

    const sum = new Float64Array(3 * RINGS);
    const count = new Float64Array(RINGS);
    const ring = (d: number) => Math.min(RINGS - 1, Math.floor(d * RINGS));
    for (let i = 0; i < texels; i++) {
      if (region[i] !== best || confidence[i] <= 0 || !facing(i)) continue;
      const d = dist(i, iris);
      if (d >= 1) continue;
      const k = ring(d);
      for (let c = 0; c < 3; c++) sum[3 * k + c] += texture[3 * i + c];
      count[k]++;
    }
    // A ring the eyelids hid entirely takes the nearest seen ring's colour.
    const seen = [...count.keys()].filter((k) => count[k] > 0);
    if (!seen.length) continue;
    const profile = Array.from({ length: RINGS }, (_, k) => {
      const j = seen.reduce((a, b) => (Math.abs(b - k) < Math.abs(a - k) ? b : a));
      return [0, 1, 2].map((c) => sum[3 * j + c] / count[j]);
    });

    for (let i = 0; i < texels; i++) {
      if (region[i] !== best || confidence[i] > 0) continue;
      const d = facing(i) ? dist(i, iris) : Infinity;
      // Iris weight: 1 inside, fading to the sclera over the limbus.
      const w = Math.min(1, Math.max(0, (1 + LIMBUS - d) / LIMBUS));
      const iris3 = profile[ring(Math.min(d, 0.999))];
      for (let c = 0; c < 3; c++) texture[3 * i + c] = w * iris3[c] + (1 - w) * sclera[c];
      if (w > 0) stats.completed++;
      else stats.sclera++;
    }
  }
  return stats;
}
