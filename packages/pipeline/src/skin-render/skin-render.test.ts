import { describe, expect, it } from 'vitest';
import { useGpuPage } from '@avatarme/testing';
import { ENVIRONMENTS } from './environments.ts';
import { shShade } from '../lighting/sh.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./skin-render.gpu.ts')>(
  new URL('./skin-render.gpu.ts', import.meta.url),
);
const SIZE = 48;

const srgbToLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const linearToSrgb = (c: number) => (c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055);

/** The shading model evaluated on the CPU for a flat, facing quad (the centre pixel sees v = +z). */
function expectedCentre(
  albedo8: number[],
  spec8: number,
  light: [number, number, number],
  env = ENVIRONMENTS.studio,
) {
  const n = [0, 0, 1];
  const l = Math.hypot(...light);
  const ld = light.map((v) => v / l);
  const h = [ld[0], ld[1], ld[2] + 1];
  const hl = Math.hypot(...h);
  const nDotL = ld[2];
  const lambert = Math.max(nDotL, 0);
  const blinn = nDotL > 0 ? Math.max(h[2] / hl, 0) ** (140 ** 0.75) : 0;
  const spec = spec8 / 255; // linear texture: the specular map is not sRGB
  return [0, 1, 2].map((c) => {
    const irr =
      Math.max(
        shShade(
          env.sh.map((rgb) => rgb[c]),
          n[0],
          n[1],
          n[2],
        ),
        0,
      ) +
      env.lightColor[c] * lambert;
    const diffuse = irr * srgbToLinear(albedo8[c] / 255);
    // Flat constant image: the normalised SSS blur returns the diffuse term itself, times energy 1.3.
    const t = [0.4, 0.1, 0.035][c];
    const mixed = t * diffuse * 1.3 + (1 - t) * diffuse;
    return linearToSrgb(Math.min(Math.max(mixed + env.lightColor[c] * blinn * spec, 0), 1));
  });
}

describe('skin renderer', () => {
  it('shades a flat facing quad like the CPU evaluation of the model (Lambert, Blinn-Phong, SSS energy)', async () => {
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
      const c = (SIZE / 2) * SIZE + SIZE / 2;
      const got = [px[c * 4], px[c * 4 + 1], px[c * 4 + 2]];
      const want = expectedCentre(albedo, 80, light);
      // 8-bit maps (the flat normal 128,128,255 decodes to a 0.4% tilt) and a 16-bit float target:
      // 1% is the error budget; a wrong term (missing SSS energy, sRGB twice) is off by ≥ 5%.
      for (let k = 0; k < 3; k++)
        expect(Math.abs(got[k] - want[k]), `channel ${k}: ${got[k]} vs ${want[k]}`).toBeLessThan(0.01);
      expect(px[c * 4 + 3]).toBe(1);
    }
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
    const c = (SIZE / 2) * SIZE + SIZE / 2;
    expect(Math.round(px[c * 4] * 255)).toBe(30);
    expect(Math.round(px[c * 4 + 1] * 255)).toBe(60);
    expect(Math.round(px[c * 4 + 2] * 255)).toBe(90);
  });
});
