import { describe, expect, it } from 'vitest';
import { fitShLighting } from '../fit/lighting.ts';
import { linearToSrgb } from '../math/colour.ts';
import { shBasis } from '../lighting/sh.ts';
import { TexelSource } from '../unwrap/texels.ts';
import {
  blendIlluminants,
  consistentWithSkin,
  poolNeutral,
  LEVEL_BOUNDS,
  locusLuminance,
  SKIN_LOCUS_LUMINANCE,
  skinLevel,
  delight,
  neutralIlluminant,
  NEUTRAL_HALF_WEIGHT,
  dichromaticSpecular,
  fitRobustLighting,
  skinLocusIlluminant,
  SKIN_LOCUS,
  SKIN_LOCUS_HALF_WIDTH,
  sphereGrid,
  type DelightInput,
} from './delight.ts';
import { shadingR2 } from './figures.ts';

const S = 28;
/** A lit hemisphere seen from the front: irradiance on both sides, brighter from upper right. */
const LIGHT = [1.5, 0.35, 0.6, 0.45, 0, 0, 0, 0, 0];
const COLOUR = [1.0, 0.97, 0.9];

function shade(c: number[], n: ArrayLike<number>): number {
  const b = shBasis(n[0], n[1], n[2]);
  let s = 0;
  for (let k = 0; k < 9; k++) s += c[k] * b[k];
  return s;
}

/** Synthetic unwrap: albedo with a pattern unrelated to the normals, SH light, a patch of white highlight. */
function scene(colour = COLOUR, sclera = false) {
  const texels = S * S;
  const normals = new Float32Array(texels * 3);
  const albedo = new Float32Array(texels * 3);
  const observed = new Float32Array(texels * 3);
  const confidence = new Float32Array(texels);
  const source = new Uint8Array(texels);
  const mirrorOf = new Int32Array(texels).fill(-1);
  const isHighlight = new Uint8Array(texels);
  const neutral = new Uint8Array(texels);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const i = y * S + x;
      const nx = ((x + 0.5) / S) * 2 - 1;
      const ny = 1 - ((y + 0.5) / S) * 2;
      const r2 = nx * nx + ny * ny;
      if (r2 > 0.9) continue;
      const n = [nx, ny, Math.sqrt(1 - r2)];
      normals.set(n, 3 * i);
      const pattern = 1 + 0.25 * Math.sin(x * 1.7) * Math.cos(y * 2.3);
      // With `sclera`: a grey patch on the left (albedo 0.6, an iris of 0.05 in every third texel).
      const white = sclera && nx < -0.45;
      const a = white
        ? [0.6, 0.6, 0.6].map((v) => (i % 3 === 0 ? 0.05 : v))
        : [0.55, 0.38, 0.28].map((v) => v * pattern);
      albedo.set(a, 3 * i);
      const s = shade(LIGHT, n);
      const m = Math.hypot(nx - 0.35, ny - 0.3) < 0.12 ? 0.35 : 0;
      isHighlight[i] = m > 0 ? 1 : 0;
      for (let c = 0; c < 3; c++) observed[3 * i + c] = linearToSrgb(a[c] * colour[c] * s + m * colour[c]);
      confidence[i] = n[2];
      if (white) neutral[i] = 1;
      source[i] = TexelSource.observed;
      mirrorOf[i] = y * S + (S - 1 - x);
    }
  const input: DelightInput = {
    size: S,
    texture: observed,
    observed,
    confidence,
    skinWeight: confidence.map((c, i) => (neutral[i] ? 0 : c)),
    normals,
    visibility: new Float32Array(texels).fill(1),
    source,
    mirrorOf,
    filled: new Uint8Array(texels),
    separable: neutral.map((v) => 1 - v),
    skinTone: [0.7, 0.55, 0.45],
    neutral: sclera ? neutral : undefined,
  };
  return { input, albedo, isHighlight };
}

describe('delight (CPU)', () => {
  it('recovers the albedo up to a colour scale, separates the highlight and leaves no shading', () => {
    const { input, albedo, isHighlight } = scene();
    const r = delight(input);
    // Per channel, recovered / true albedo should be one constant (exposure and white balance are
    // not observable): its spread over the diffuse texels is the error.
    for (let c = 0; c < 3; c++) {
      const q: number[] = [];
      for (let i = 0; i < S * S; i++)
        if (input.confidence[i] > 0 && !isHighlight[i]) q.push(r.albedo[3 * i + c] / albedo[3 * i + c]);
      const mean = q.reduce((a, b) => a + b, 0) / q.length;
      const sd = Math.sqrt(q.reduce((a, b) => a + (b - mean) ** 2, 0) / q.length);
      // Exact data up to sRGB float rounding and a Tukey-trimmed fit: 2 % covers the fit's bias from
      // the highlight's neighbours; a fit that missed the shading leaves ≥ 20 %.
      expect(sd / mean, `channel ${c}`).toBeLessThan(0.02);
    }
    let hit = 0;
    let falseAlarm = 0;
    let highlightTexels = 0;
    let diffuse = 0;
    for (let i = 0; i < S * S; i++) {
      if (!(input.confidence[i] > 0)) continue;
      if (isHighlight[i]) {
        highlightTexels++;
        if (r.highlight[i] > 0.1) hit++;
      } else {
        diffuse++;
        if (r.highlight[i] > 0.05) falseAlarm++;
      }
    }
    expect(hit / highlightTexels).toBeGreaterThan(0.8);
    expect(falseAlarm / diffuse).toBeLessThan(0.05);
    expect(r.stats.clampedShare).toBe(0);
    // The radiance is mostly shading; what is left in the albedo is the pattern.
    const radiance = Float32Array.from(input.observed, (v) =>
      v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4,
    );
    expect(shadingR2(radiance, input.normals, input.skinWeight)).toBeGreaterThan(0.5);
    expect(shadingR2(r.albedo, input.normals, input.skinWeight)).toBeLessThan(0.05);
  });

  it('mirrored and seen-but-shadowed texels take the de-lit mirror albedo', () => {
    const { input } = scene();
    // Hide the left half: the unwrap would have mirrored the right half's colours there.
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S / 2; x++) {
        const i = y * S + x;
        if (input.source[i] === TexelSource.outside) continue;
        input.confidence[i] = 0;
        input.skinWeight[i] = 0;
        input.source[i] = TexelSource.mirrored;
      }
    const r = delight(input);
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S / 2; x++) {
        const i = y * S + x;
        const j = input.mirrorOf[i];
        if (input.source[i] !== TexelSource.mirrored || !(input.confidence[j] > 0)) continue;
        expect(Array.from(r.albedo.subarray(3 * i, 3 * i + 3))).toEqual(
          Array.from(r.albedo.subarray(3 * j, 3 * j + 3)),
        );
      }
  });

  it('a cast shadow on one side takes the albedo of its lit mirror image', () => {
    const { input, albedo } = scene();
    const shadow = new Uint8Array(S * S);
    // Below the highlight (which sits at rows 8–12), right of centre; its mirror is lit.
    for (let y = 15; y < 21; y++)
      for (let x = 17; x < 22; x++) {
        const i = y * S + x;
        shadow[i] = 1;
        for (let c = 0; c < 3; c++) {
          const v = input.observed[3 * i + c];
          const lin = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          input.observed[3 * i + c] = linearToSrgb(0.4 * lin);
        }
      }
    const r = delight(input);
    expect(r.stats.shadowed).toBeGreaterThanOrEqual(25);
    // Against the lit texels' recovered/true ratio (the unobservable colour scale): the shadowed
    // texels now carry their mirror's albedo, whose pattern differs by up to ±25 %, not 0.4×.
    let ref = 0;
    let n = 0;
    for (let i = 0; i < S * S; i++)
      if (input.confidence[i] > 0 && !shadow[i]) {
        ref += r.albedo[3 * i + 1] / albedo[3 * i + 1];
        n++;
      }
    ref /= n;
    for (let i = 0; i < S * S; i++) {
      if (!shadow[i]) continue;
      const q = r.albedo[3 * i + 1] / albedo[3 * i + 1] / ref;
      expect(q).toBeGreaterThan(0.6);
      expect(q).toBeLessThan(1.7);
    }
  });

  it('a brow darker than its mirror image keeps its own albedo: the symmetry rule is for bare skin', () => {
    // The same 0.4× darkening as the cast shadow above, but on a feature the lighting fit does not use
    // (skinWeight 0: a brow's hair, whose mirror texel is often bare skin). Its darkness is albedo.
    const { input, albedo } = scene();
    const brow = new Uint8Array(S * S);
    for (let y = 15; y < 21; y++)
      for (let x = 17; x < 22; x++) {
        const i = y * S + x;
        brow[i] = 1;
        input.skinWeight[i] = 0;
        for (let c = 0; c < 3; c++) {
          const v = input.observed[3 * i + c];
          const lin = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          input.observed[3 * i + c] = linearToSrgb(0.4 * lin);
        }
      }
    const r = delight(input);
    let ref = 0;
    let n = 0;
    for (let i = 0; i < S * S; i++)
      if (input.confidence[i] > 0 && !brow[i]) {
        ref += r.albedo[3 * i + 1] / albedo[3 * i + 1];
        n++;
      }
    ref /= n;
    // Recovered/true over the lit texels' ratio: 0.4 (its own darkness), within the fit's bias; the
    // mirror's albedo would give 0.6–1.7 (the case above).
    for (let i = 0; i < S * S; i++) {
      if (!brow[i]) continue;
      const q = r.albedo[3 * i + 1] / albedo[3 * i + 1] / ref;
      expect(q).toBeGreaterThan(0.3);
      expect(q).toBeLessThan(0.5);
    }
  });

  it('does not spread the ratio of a patch that took its mirror albedo over its own dark colour', () => {
    // A dark brown patch (a hair strand the occluder mask missed: 0.3 / 0.2 / 0.08 of the skin's
    // radiance) takes its lit mirror's albedo, so its albedo ÷ texture ratio is 3–12× a shading
    // ratio. Beside it, unseen band texels (the completion's push-pull) scale their completed colour
    // by the ratio spread from known texels: from the patch, it bleached them to white.
    const { input, albedo } = scene();
    const patch = new Uint8Array(S * S);
    const band = new Uint8Array(S * S);
    for (let y = 15; y < 21; y++)
      for (let x = 17; x < 25; x++) {
        const i = y * S + x;
        if (x < 21) {
          patch[i] = 1;
          for (let c = 0; c < 3; c++) {
            const v = input.observed[3 * i + c];
            const lin = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            input.observed[3 * i + c] = linearToSrgb([0.3, 0.2, 0.08][c] * lin);
          }
        } else {
          band[i] = 1;
          input.confidence[i] = 0;
          input.skinWeight[i] = 0;
          input.source[i] = TexelSource.inpainted;
        }
      }
    const r = delight(input);
    expect(r.stats.shadowed).toBeGreaterThanOrEqual(20);
    for (let c = 0; c < 3; c++) {
      let ref = 0;
      let n = 0;
      for (let i = 0; i < S * S; i++)
        if (input.confidence[i] > 0 && !patch[i]) {
          ref += r.albedo[3 * i + c] / albedo[3 * i + c];
          n++;
        }
      ref /= n;
      // The band's colour is the skin's own (sRGB rounding, the fit's bias and the pattern's ±25 %
      // under a blurred ratio stay inside [0.6, 1.7]); with the patch's ratio spread, red reached 1.9×.
      for (let i = 0; i < S * S; i++) {
        if (!band[i]) continue;
        const q = r.albedo[3 * i + c] / albedo[3 * i + c] / ref;
        expect(q, `channel ${c}, texel ${i}`).toBeGreaterThan(0.6);
        expect(q, `channel ${c}, texel ${i}`).toBeLessThan(1.7);
      }
    }
  });

  it('IRLS ignores dark outliers (cast shadows) that pull a plain least-squares fit', () => {
    const { input } = scene();
    const lin = new Float32Array(S * S * 3);
    const truth = new Float32Array(S * S);
    let k = 0;
    for (let i = 0; i < S * S; i++) {
      if (!(input.confidence[i] > 0)) continue;
      truth[i] = 0.5 * shade(LIGHT, input.normals.subarray(3 * i, 3 * i + 3));
      const shadow = k++ % 9 === 0 ? 0.3 : 1;
      lin.fill(truth[i] * shadow, 3 * i, 3 * i + 3);
    }
    // Error of the fitted shading over the seen texels (the coefficients themselves are barely
    // determined in directions no normal faces).
    const err = (iterations: number) => {
      const f = fitRobustLighting(lin, input.normals, input.visibility, input.skinWeight, 0, iterations);
      let num = 0;
      let den = 0;
      for (let i = 0; i < S * S; i++) {
        if (!(truth[i] > 0)) continue;
        num +=
          (shade(Array.from(f.coefficients.subarray(0, 9)), input.normals.subarray(3 * i, 3 * i + 3)) -
            truth[i]) **
          2;
        den += truth[i] ** 2;
      }
      return Math.sqrt(num / den);
    };
    const plain = err(1);
    const robust = err(6);
    expect(plain).toBeGreaterThan(0.05);
    expect(robust).toBeLessThan(plain / 5);
  });

  it('fits a light that is nowhere negative', () => {
    // A light from the right only, seen on the left half too: an unconstrained order-2 fit rings
    // negative on the far side.
    const { input } = scene();
    const lin = new Float32Array(S * S * 3);
    for (let i = 0; i < S * S; i++) {
      const n = input.normals.subarray(3 * i, 3 * i + 3);
      lin.fill(Math.max(0, n[0]) ** 4, 3 * i, 3 * i + 3);
    }
    const f = fitRobustLighting(lin, input.normals, input.visibility, input.skinWeight, 0, 1);
    const minOf = (c: ArrayLike<number>) =>
      Math.min(...sphereGrid(512).map((d) => shade(Array.from(c).slice(0, 9), d))) / (c[0] * 0.282095);
    // One directional light's order-2 irradiance is 0.25 + 0.5 c + 0.15625 (3c² − 1) (c the cosine to
    // the light; Ramamoorthi & Hanrahan's band scales), whose minimum is −16 % of its mean: ringing of
    // the truncation, the most a non-negative light can show. The unconstrained fit goes far below.
    const free = fitShLighting(Float32Array.from(lin, linearToSrgb), input.normals, input.skinWeight);
    expect(minOf(f.coefficients)).toBeGreaterThan(-0.16);
    expect(minOf(free.coefficients)).toBeLessThan(-0.5);
  });
});

describe('skin-locus white balance', () => {
  it('reads a colour on the locus as neutral light', () => {
    const [lr, lb] = SKIN_LOCUS[2];
    const l = skinLocusIlluminant([Math.exp(lr), 1, Math.exp(lb)]);
    expect(l[0] / l[1]).toBeCloseTo(1, 6);
    expect(l[2] / l[1]).toBeCloseTo(1, 6);
  });

  it('attributes half of a shift beyond the locus band to the light, none of a shift along it or within the band', () => {
    const [a, b] = [SKIN_LOCUS[2], SKIN_LOCUS[3]];
    const along = [b[0] - a[0], b[1] - a[1]];
    const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const unit = [-along[1], along[0]].map((v) => v / Math.hypot(...along));
    const shifted = (d: number) =>
      skinLocusIlluminant([Math.exp(mid[0] + d * unit[0]), 1, Math.exp(mid[1] + d * unit[1])]);
    const l = shifted(0.35);
    const excess = (0.35 - SKIN_LOCUS_HALF_WIDTH) / 2;
    expect(Math.log(l[0] / l[1])).toBeCloseTo(excess * unit[0], 6);
    expect(Math.log(l[2] / l[1])).toBeCloseTo(excess * unit[1], 6);
    const inside = shifted(0.1);
    expect(inside[0] / inside[1]).toBeCloseTo(1, 6);
    expect(inside[2] / inside[1]).toBeCloseTo(1, 6);
    const n = skinLocusIlluminant([Math.exp(mid[0] + 0.3 * along[0]), 1, Math.exp(mid[1] + 0.3 * along[1])]);
    expect(n[0] / n[1]).toBeCloseTo(1, 6);
  });

  it('leaves the light neutral past the dark end of the locus, where it is not known', () => {
    const b = SKIN_LOCUS.at(-1)!;
    // Dark skin: red/green far beyond the table's last point, blue nearly gone.
    const l = skinLocusIlluminant([Math.exp(b[0] + 0.5), 1, Math.exp(b[1] - 1.5)]);
    expect(l[0] / l[1]).toBeCloseTo(1, 6);
    expect(l[2] / l[1]).toBeCloseTo(1, 6);
  });
});

describe('white balance from the sclera', () => {
  const chroma = (c: ArrayLike<number>) => [Math.log(c[0] / c[1]), Math.log(c[2] / c[1])];
  it('reads a tint of the light off a grey reflector that the skin locus takes for skin tone', () => {
    // A warm light (as at sunset) shifts skin along its locus: the locus alone reads darker skin.
    const warm = [1.0, 0.8, 0.55];
    const withSclera = delight(scene(warm, true).input);
    expect(withSclera.neutralIlluminant).toBeDefined();
    const [rg, bg] = chroma(warm);
    const [erg, ebg] = chroma(withSclera.neutralIlluminant!.rgb);
    // Exact data: the sclera's own estimate is the light's colour up to sRGB rounding and the fit.
    expect(Math.abs(erg - rg)).toBeLessThan(0.03);
    expect(Math.abs(ebg - bg)).toBeLessThan(0.03);
    // The highlights' colour Γ: blended with the locus by texel count, most of the way there.
    const n = withSclera.neutralIlluminant!.texels;
    const [brg, bbg] = chroma(withSclera.specularColour);
    const w = n / (n + NEUTRAL_HALF_WEIGHT);
    expect(w).toBeGreaterThan(0.7);
    expect(Math.abs(brg - rg)).toBeLessThan((1 - w) * Math.abs(rg) + 0.03);
    expect(Math.abs(bbg - bg)).toBeLessThan((1 - w) * Math.abs(bg) + 0.03);
    // The diffuse white balance is the skin locus's alone: the same without the sclera.
    const without = delight({ ...scene(warm, true).input, neutral: undefined });
    for (let c = 0; c < 3; c++) expect(withSclera.illuminant[c]).toBeCloseTo(without.illuminant[c], 9);
  });

  it('reads the tint off the highlights, whose colour is that of the light, when no sclera is seen', () => {
    const warm = [1.0, 0.8, 0.55];
    const r = delight(scene(warm, false).input);
    expect(r.neutralIlluminant).toBeUndefined();
    expect(r.highlightIlluminant).toBeDefined();
    const [rg, bg] = chroma(warm);
    const [hrg, hbg] = chroma(r.highlightIlluminant!.rgb);
    // The highlight patch's excess is the light's colour; its edge texels mix in some skin.
    expect(Math.abs(hrg - rg)).toBeLessThan(0.05);
    expect(Math.abs(hbg - bg)).toBeLessThan(0.05);
    // Without any neutral reference the skin locus alone takes the tint for skin tone.
    const flat = { ...scene(warm, false).input, separable: new Uint8Array(S * S) };
    const locusOnly = delight(flat);
    expect(locusOnly.highlightIlluminant).toBeUndefined();
    expect(Math.abs(chroma(locusOnly.illuminant)[1] - bg)).toBeGreaterThan(0.2);
  });

  it('believes a reference only if the skin it white-balances stays a skin colour', () => {
    // Light skin (ITA 55° on the locus) seen under a neutral light; a warm "sclera" (eyelid skin)
    // would turn it grey-blue, off the locus.
    const skin = [0.5618, 0.4058, 0.2975];
    expect(consistentWithSkin(skin, { rgb: [1, 1, 1] })).toBe(true);
    expect(consistentWithSkin(skin, { rgb: [1.35, 0.93, 0.65] })).toBe(false);
    // The same skin under that warm light, with the light's colour as the reference: believed.
    const warm = [1.35, 0.93, 0.65];
    expect(
      consistentWithSkin(
        skin.map((v, c) => v * warm[c]),
        { rgb: warm },
      ),
    ).toBe(true);
    expect(consistentWithSkin(skin, undefined)).toBe(false);
  });

  it('gives no estimate from too few texels or a colour no light has', () => {
    expect(poolNeutral(undefined, undefined)).toBeUndefined();
    const pooled = poolNeutral({ rgb: [1, 1, 1], texels: 10 }, { rgb: [2, 1, 0.5], texels: 20 });
    expect(pooled!.texels).toBe(20);
    expect(Math.log(pooled!.rgb[0] / pooled!.rgb[1])).toBeCloseTo(0.5 * Math.log(2), 6);
    const sf = new Float32Array(30 * 3).fill(0.5);
    expect(neutralIlluminant(sf, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toBeUndefined();
    for (let i = 0; i < 30; i++) sf.set([0.5, 0.1, 0.5], 3 * i);
    expect(neutralIlluminant(sf, [...Array(30).keys()])).toBeUndefined();
    expect(blendIlluminants([1, 1, 1], undefined)).toEqual([1, 1, 1]);
  });
});

describe('skin level from the locus', () => {
  it('reads the exposure off the skin hue: the locus albedo under a 2× light gives level 2', () => {
    // ITA 25° on the locus (Donner & Jensen, 0.4 % blood): linear sRGB albedo.
    const albedo = [0.4698, 0.2831, 0.1376];
    expect(skinLevel(albedo, [1, 1, 1])).toBeCloseTo(1, 1);
    expect(
      skinLevel(
        albedo.map((v) => 2 * v),
        [1, 1, 1],
      ),
    ).toBeCloseTo(2, 1);
    // Seen under a tinted light that the white balance knows: the same.
    const tint = [1.2, 1, 0.7];
    expect(
      skinLevel(
        albedo.map((v, c) => 2 * v * tint[c]),
        tint,
      ),
    ).toBeCloseTo(2, 1);
    // Far off: bounded.
    expect(
      skinLevel(
        albedo.map((v) => 10 * v),
        [1, 1, 1],
      ),
    ).toBe(LEVEL_BOUNDS[1]);
    expect(locusLuminance(-1)).toBe(SKIN_LOCUS_LUMINANCE[0][1]);
  });
});

describe('dichromatic split', () => {
  it('splits k · d + m · Γ exactly and never returns a negative highlight', () => {
    const d = [0.5, 0.3, 0.2];
    const g = [1, 1, 0.9];
    const I = d.map((v, c) => 2 * v + 0.4 * g[c]);
    expect(dichromaticSpecular(I, d, g)).toBeCloseTo(0.4, 9);
    expect(
      dichromaticSpecular(
        d.map((v) => 3 * v),
        d,
        g,
      ),
    ).toBeCloseTo(0, 9);
    // Less white than the diffuse hue alone: no highlight.
    expect(dichromaticSpecular([0.6, 0.3, 0.1], d, g)).toBe(0);
  });
});
