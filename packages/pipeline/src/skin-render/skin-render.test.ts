import { describe, expect, it } from 'vitest';
import { useGpuPage } from '@avatarme/testing';
import { brdfLutReference } from '@avatarme/kernels/ibl/reference.ts';
import { ENVIRONMENTS } from './environments.ts';
import { shShade } from '../lighting/sh.ts';
import type { RgbaImage } from '../image/codec.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./skin-render.gpu.ts')>(
  new URL('./skin-render.gpu.ts', import.meta.url),
);
const SIZE = 48;
const CENTRE = (SIZE / 2) * SIZE + SIZE / 2;

const srgbToLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const linearToSrgb = (c: number) => (c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055);

/** Khronos PBR Neutral, as in composite.wgsl. */
function pbrNeutral(rgb: number[]): number[] {
  const x = Math.min(...rgb);
  const offset = x < 0.08 ? x - 6.25 * x * x : 0.04;
  let c = rgb.map((v) => v - offset);
  const peak = Math.max(...c);
  const start = 0.76;
  if (peak < start) return c;
  const d = 1 - start;
  const newPeak = 1 - (d * d) / (peak + d - start);
  c = c.map((v) => (v * newPeak) / peak);
  const g = 1 - 1 / (0.15 * (peak - newPeak) + 1);
  return c.map((v) => v * (1 - g) + newPeak * g);
}

/** (A, B) of the split sum at n·v = 1 for perceptual roughness r, as the shader reads the 32² table. */
function splitSum(r: number): [number, number] {
  const lut = brdfLutReference(32, 512);
  const fy = Math.min(Math.max(r * 32 - 0.5, 0), 31);
  const y0 = Math.floor(fy);
  const y1 = Math.min(y0 + 1, 31);
  const t = fy - y0;
  const at = (y: number, c: number) => lut[(y * 32 + 31) * 4 + c];
  return [at(y0, 0) * (1 - t) + at(y1, 0) * t, at(y0, 1) * (1 - t) + at(y1, 1) * t];
}

/**
 * The shading model on the CPU for the centre of a flat quad facing the camera (n = v = +z) under an
 * SH preset: Lambert on the preset's irradiance and key light, GGX + Schlick key-light highlight,
 * split-sum environment specular, PBR Neutral, sRGB.
 */
function expectedCentre(
  albedo8: number[],
  spec8: number,
  light: [number, number, number],
  env = ENVIRONMENTS.studio,
  a = 0.3,
) {
  const l = Math.hypot(...light);
  const ld = light.map((v) => v / l);
  const nl = Math.max(ld[2], 0);
  const hz = (ld[2] + 1) / Math.hypot(ld[0], ld[1], ld[2] + 1); // n·h
  const vh = hz; // v = n, so v·h = n·h
  const f0 = (0.028 * (spec8 / 255)) / 0.25; // the specular map is linear, not sRGB
  const a2 = a * a;
  const dd = hz * hz * (a2 - 1) + 1;
  const D = a2 / (Math.PI * dd * dd);
  // Height-correlated Smith visibility with n·v = 1.
  const V = 0.5 / (nl + Math.sqrt(nl * nl * (1 - a2) + a2));
  const f90 = spec8 / 255; // KHR_materials_specular: the strength is also the grazing reflectance
  const F = f0 + (f90 - f0) * (1 - vh) ** 5;
  const [A, B] = splitSum(Math.sqrt(a));
  const linear = [0, 1, 2].map((c) => {
    const coeffs = env.sh.map((rgb) => rgb[c]);
    const envE = Math.PI * Math.max(shShade(coeffs, 0, 0, 1), 0);
    const keyE = Math.PI * env.lightColor[c];
    const kd = 1 - (f0 * A + f90 * B); // environment light the specular lobe took
    const diffuse = (srgbToLinear(albedo8[c] / 255) / Math.PI) * (envE * kd + keyE * nl);
    const keySpec = nl > 0 ? keyE * D * V * F * nl : 0;
    const envSpec = (envE / Math.PI) * (f0 * A + f90 * B);
    return diffuse + keySpec + envSpec;
  });
  return pbrNeutral(linear).map((v) => linearToSrgb(Math.min(Math.max(v, 0), 1)));
}

type Pixels = Float32Array;
const centre = (px: Pixels) => [px[CENTRE * 4], px[CENTRE * 4 + 1], px[CENTRE * 4 + 2]];

describe('skin renderer', () => {
  it('shades a flat facing quad like the CPU evaluation of the model (Lambert, GGX, split sum, PBR Neutral)', async () => {
    const albedo: [number, number, number] = [180, 120, 100];
    for (const light of [
      [0, 0, 1],
      [0.5, 0.3, 0.8],
    ] as [number, number, number][]) {
      const px = await page.renderQuad({
        albedo,
        spec: 80,
        normal: [128, 128, 255],
        view: { lightDirection: light, environment: 'studio' },
        size: SIZE,
      });
      const got = centre(px);
      const want = expectedCentre(albedo, 80, light);
      // 8-bit maps (the flat normal 128,128,255 decodes to a 0.4% tilt), a 16-bit float target, the
      // 32² BRDF table read bilinearly, the pixel centre half a pixel off the axis: 1% is the budget;
      // a wrong term (a missing 1/π, sRGB twice, no tone mapping) is off by ≥ 5%.
      for (let k = 0; k < 3; k++)
        expect(Math.abs(got[k] - want[k]), `channel ${k}: ${got[k]} vs ${want[k]}`).toBeLessThan(0.01);
      expect(px[CENTRE * 4 + 3]).toBe(1);
    }
  });

  it('takes GGX α per texel from the roughness map (perceptual roughness in green, squared)', async () => {
    const albedo: [number, number, number] = [180, 120, 100];
    const light: [number, number, number] = [0.5, 0.3, 0.8];
    for (const r8 of [90, 200]) {
      const px = await page.renderQuad({
        albedo,
        spec: 160,
        normal: [128, 128, 255],
        view: { lightDirection: light, environment: 'studio' },
        size: SIZE,
        roughness: r8,
      });
      const want = expectedCentre(albedo, 160, light, ENVIRONMENTS.studio, (r8 / 255) ** 2);
      const got = centre(px);
      // As the first test: 1%. α 0.12 against 0.3 moves the highlight here by ≥ 5%.
      for (let k = 0; k < 3; k++)
        expect(Math.abs(got[k] - want[k]), `r ${r8}, channel ${k}: ${got[k]} vs ${want[k]}`).toBeLessThan(
          0.01,
        );
    }
  });

  it('under a uniform HDR environment gives albedo plus the split-sum specular (no key light)', async () => {
    const px = await page.renderQuad({
      albedo: [128, 128, 128],
      spec: 64,
      normal: [128, 128, 255],
      view: { toneMapping: 'none' },
      size: SIZE,
      uniformEnvironment: 3,
    });
    // Normalised to mean radiance 1: E = π, diffuse = albedo · (1 − S); specular S = F0·A + F90·B.
    const [A, B] = splitSum(Math.sqrt(0.3));
    const f0 = (0.028 * 64) / 255 / 0.25;
    const specular = f0 * A + (64 / 255) * B;
    const want = linearToSrgb(srgbToLinear(128 / 255) * (1 - specular) + specular);
    // The environment's SH of a constant map is exact to 0.2% (midpoint rule), the prefilter of a
    // constant map is the constant: 1% as above.
    for (const v of centre(px)) expect(Math.abs(v - want), `${v} vs ${want}`).toBeLessThan(0.01);
  });

  it('turns the environment with environmentRotation', async () => {
    const render = (environmentRotation: number) =>
      page.renderQuad({
        albedo: [128, 128, 128],
        spec: 64,
        normal: [128, 128, 255],
        view: { environmentRotation, keyLight: 0, autoExposure: false },
        size: SIZE,
        sidedEnvironment: true,
      });
    // The bright half (+x in the environment's frame) turned by +90° faces the quad (+z); by −90° it
    // is behind it. Irradiance ratio (4 + 0.25) / 2 : 0.25 … at least 3× brighter in linear terms.
    const front = centre(await render(Math.PI / 2)).map(srgbToLinear);
    const back = centre(await render(-Math.PI / 2)).map(srgbToLinear);
    expect(front[1] / back[1]).toBeGreaterThan(3);
  });

  it('meters each environment so a grey sphere renders at its albedo', async () => {
    // A grey Lambertian sphere (no specular, no SSS) under a uniform environment and under the sided
    // one (bright over half the sky) turned towards the camera and away from it.
    const render = (o: { uniform?: boolean; rotation?: number; autoExposure?: boolean }) =>
      page.renderQuad({
        albedo: [128, 128, 128],
        spec: 0,
        normal: [128, 128, 255],
        view: {
          toneMapping: 'none',
          translucency: 0,
          environmentRotation: o.rotation ?? 0,
          autoExposure: o.autoExposure,
        },
        size: 64,
        sphere: true,
        cameraDistance: 40,
        ...(o.uniform ? { uniformEnvironment: 2 } : { sidedEnvironment: true }),
      });
    const mean = (px: Pixels) => {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < 64 * 64; i++)
        if (px[i * 4 + 3] > 0) {
          sum += srgbToLinear(px[i * 4 + 1]);
          n++;
        }
      return sum / n;
    };
    const albedo = srgbToLinear(128 / 255);
    const lit = [
      await render({ uniform: true }),
      await render({ rotation: Math.PI / 2 }),
      await render({ rotation: -Math.PI / 2 }),
    ].map(mean);
    // The meter integrates over the whole hemisphere facing the camera, weighted by projected area:
    // a far camera (distance 40 radii) sees that (up to 88.6° from the axis; at distance 4 the ring
    // the camera misses faces the sided sky's edge and the means were off by −24% / +6%). What is
    // left: the key light's shadow-casting part is exact where its SH was not, 64² pixels of
    // a faceted sphere: 5%. Unmetered, the bright side towards or away differs by > 2×.
    console.log(`[exposure] sphere mean / albedo: ${lit.map((m) => (m / albedo).toFixed(3)).join(', ')}`);
    for (const m of lit) expect(Math.abs(m / albedo - 1), `mean ${m} vs albedo ${albedo}`).toBeLessThan(0.05);
    const towards = mean(await render({ rotation: Math.PI / 2, autoExposure: false }));
    const away = mean(await render({ rotation: -Math.PI / 2, autoExposure: false }));
    expect(towards / away).toBeGreaterThan(2);
  });

  it('casts the key light shadow of an occluder and keeps lit surfaces free of acne', async () => {
    // Light from the right-front (1.2, 0, 1): the occluder (centre (0, 0, 0.5), half-width 0.25)
    // shadows the quad around (−0.5 · 1.2, 0) = (−0.6, 0), where the camera sees the quad itself.
    const render = (shadows: boolean) =>
      page.renderQuad({
        albedo: [200, 200, 200],
        spec: 0,
        normal: [128, 128, 255],
        view: { lightDirection: [1.2, 0, 1], environment: 'studio', translucency: 0, shadows },
        size: 96,
        occluder: true,
      });
    const k = 1 / (4 * Math.tan(Math.PI / 8));
    // Red channel at a world point on z = 0.
    const at = (px: Pixels, x: number, y: number) =>
      px[(Math.round((0.5 - (y * k) / 2) * 96) * 96 + Math.round((0.5 + (x * k) / 2) * 96)) * 4];
    const px = await render(true);
    const shadowed = at(px, -0.6, 0);
    const lit = at(px, 0.6, 0.5);
    expect(lit - shadowed).toBeGreaterThan(0.15);
    // Self-shadowing (acne) would darken lit areas unevenly: lit points agree.
    expect(Math.abs(lit - at(px, 0.6, -0.5))).toBeLessThan(0.02);
    expect(Math.abs(lit - at(px, -0.6, 0.6))).toBeLessThan(0.02);
    // Without shadows the shadowed point is lit.
    expect(Math.abs(at(await render(false), -0.6, 0) - lit)).toBeLessThan(0.02);
  });

  it('scatters in millimetres: two image sizes give the same look', async () => {
    // Vertical stripes 50 mm wide (16 of the texture's 64 columns) across the 200 mm quad, red fully
    // scattered (translucency 2.5 · 0.4 = 1), 8 mm wide: ≈ 1.5 px at 64², 3 px at 128².
    const stripes: RgbaImage = { width: 64, height: 4, data: new Uint8ClampedArray(64 * 4 * 4) };
    for (let i = 0; i < 64 * 4; i++)
      stripes.data.set(((i % 64) >> 4) & 1 ? [230, 200, 180, 255] : [60, 50, 40, 255], i * 4);
    const render = (size: number, scatterMm: number, translucency = 2.5) =>
      page.renderQuad({
        albedo: [0, 0, 0],
        albedoMap: stripes,
        spec: 0,
        normal: [128, 128, 255],
        view: { environment: 'studio', toneMapping: 'none', translucency, scatterMm, shadows: false },
        size,
      });
    // What the scattering changes (linear red, scattered − sharp) at 64², against the same at 128²
    // averaged over 2×2 blocks, over the quad's interior at 64² (it covers the central 60%: stay
    // 3 px inside its edge). Taking the sharp render out leaves the texture's resampling out.
    const red = (px: Pixels, size: number, x: number, y: number) => srgbToLinear(px[(y * size + x) * 4]);
    const [sharp64, sharp128, large] = [
      await render(64, 8, 0),
      await render(128, 8, 0),
      await render(128, 8),
    ];
    const change = async (scatterMm: number) => {
      const small = await render(64, scatterMm);
      let diff = 0;
      let size = 0;
      for (let y = 16; y < 48; y++)
        for (let x = 16; x < 48; x++) {
          let down = 0;
          for (const [dx, dy] of [
            [0, 0],
            [1, 0],
            [0, 1],
            [1, 1],
          ])
            down +=
              (red(large, 128, 2 * x + dx, 2 * y + dy) - red(sharp128, 128, 2 * x + dx, 2 * y + dy)) / 4;
          const here = red(small, 64, x, y) - red(sharp64, 64, x, y);
          diff += Math.abs(here - down);
          size += Math.abs(down);
        }
      return { diff, size };
    };
    const same = await change(8);
    // What a blur sized in pixels would do: the large image's pixel width at the small size.
    const pixelSized = await change(16);
    console.log(
      `[sss] Σ|Δ| 64² vs 128²↓: ${same.diff.toFixed(3)}; pixel-sized ${pixelSized.diff.toFixed(3)}; Σ|change| ${same.size.toFixed(3)}`,
    );
    // The same width in mm at both sizes changes the image the same way to within a fifth of the
    // change itself, and ≥ 3× closer than a width that stays fixed in pixels.
    expect(same.diff).toBeLessThan(0.2 * same.size);
    expect(same.diff * 3).toBeLessThan(pixelSized.diff);
  });

  it('does not bleed subsurface light across a depth edge', async () => {
    // A bright square (albedo 240) 50 mm in front of a dark quad (albedo 40), under a uniform light,
    // 10 mm wide scattering (σ ≈ 2.9 px), red fully scattered. The square's edge is 8.3 px from the
    // centre at 96²: look 2 px either side of it.
    const render = (occluderZ: number, translucency: number) =>
      page.renderQuad({
        albedo: [40, 40, 40],
        occluderAlbedo: [240, 240, 240],
        spec: 0,
        normal: [128, 128, 255],
        view: { toneMapping: 'none', translucency, scatterMm: 10, keyLight: 0 },
        size: 96,
        uniformEnvironment: 1,
        occluder: true,
        occluderZ,
      });
    const red = (px: Pixels, x: number) => px[(48 * 96 + x) * 4];
    const [outside, inside] = [58, 54];
    const sharp = await render(0.5, 0);
    const scattered = await render(0.5, 2.5);
    // Each side keeps its own colour: within 1% of the render without scattering.
    for (const x of [outside, inside])
      expect(Math.abs(red(scattered, x) - red(sharp, x)), `x ${x}`).toBeLessThan(0.01 * red(sharp, x));
    // The same square 0.2 mm in front of the quad (within the profile) does bleed.
    const flat = await render(0.002, 2.5);
    expect(red(flat, outside)).toBeGreaterThan(red(sharp, outside) * 1.1);
    expect(red(flat, inside)).toBeLessThan(red(sharp, inside) * 0.97);
  });

  it('covers the projected quad and leaves the background transparent', async () => {
    const px = await page.renderQuad({
      albedo: [200, 200, 200],
      spec: 0,
      normal: [128, 128, 255],
      view: {},
      size: SIZE,
    });
    // Quad half-width 1 at distance 4 with a 45° field of view: tan(22.5°)·4 = 1.657 → 60% of the width.
    const half = (1 / (Math.tan(Math.PI / 8) * 4)) * (SIZE / 2);
    let inside = 0;
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) {
        const a = px[(y * SIZE + x) * 4 + 3];
        const dx = Math.abs(x + 0.5 - SIZE / 2);
        const dy = Math.abs(y + 0.5 - SIZE / 2);
        if (dx < half - 1 && dy < half - 1) expect(a).toBe(1);
        if (dx > half + 1 || dy > half + 1) expect(a).toBe(0);
        inside += a;
      }
    expect(inside).toBeGreaterThan((2 * half - 2) ** 2);
  });

  it('shows a single map in map modes', async () => {
    const px = await page.renderQuad({
      albedo: [30, 60, 90],
      spec: 0,
      normal: [128, 128, 255],
      view: { mode: 'diffuseAlbedo' },
      size: SIZE,
    });
    expect(Math.round(px[CENTRE * 4] * 255)).toBe(30);
    expect(Math.round(px[CENTRE * 4 + 1] * 255)).toBe(60);
    expect(Math.round(px[CENTRE * 4 + 2] * 255)).toBe(90);
  });
});

describe('skin renderer, several views recorded before one read-back', () => {
  it('gives every view the bits it has when rendered and read back alone', async () => {
    const { oneByOne, batched } = await page.renderOneByOneAndBatched(24);
    expect(batched).toHaveLength(oneByOne.length);
    // Not vacuous: the views differ (a shared uniform buffer would repeat the last one's).
    for (let i = 1; i < oneByOne.length; i++) expect(oneByOne[i]).not.toEqual(oneByOne[i - 1]);
    for (let i = 0; i < oneByOne.length; i++) expect(batched[i], `view ${i}`).toEqual(oneByOne[i]);
  });
});
