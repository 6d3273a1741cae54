import { describe, expect, it } from 'vitest';
import { rotationAboutAxis, mat3Apply } from '../math/linalg.ts';
import { mesostructureGate, mmPerTexel } from './scale.ts';
import { SKIN_SPECULAR } from './skin-specular.ts';
import { BROW_FACTOR, lobe, specularAlbedo, viewDirection, type SpecularInput } from './specular.ts';

const S = 32;

/**
 * A bulging patch facing +z, lit from the upper right and seen from the front, mirrored left to right.
 * The photo's highlights show `contrast` × what the prior predicts on the upper half (both sides), or
 * with `oneSided` on the right half only.
 */
function patch(contrast = 1.6, oneSided = false): { input: SpecularInput; shinier: Uint8Array } {
  const texels = S * S;
  const normals = new Float32Array(texels * 3);
  const shinier = new Uint8Array(texels);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const i = y * S + x;
      const nx = (((x + 0.5) / S) * 2 - 1) * 0.8;
      const ny = (1 - ((y + 0.5) / S) * 2) * 0.8;
      const l = Math.hypot(nx, ny, 1);
      normals.set([nx / l, ny / l, 1 / l], 3 * i);
      shinier[i] = (oneSided ? x >= S / 2 : y < S / 2) ? 1 : 0;
    }
  const light = new Float32Array(27);
  const dir = [0.4, 0.3, 0.866];
  for (let c = 0; c < 3; c++) light.set([1, dir[1], dir[2], dir[0]], 9 * c);
  const input: SpecularInput = {
    size: S,
    highlight: new Float32Array(texels),
    confidence: new Float32Array(texels).fill(1),
    skinWeight: new Float32Array(texels).fill(1),
    normals,
    hair: new Uint8Array(texels),
    layout: new Uint8Array(texels).fill(1),
    mirrorOf: Int32Array.from({ length: texels }, (_, i) => i - (i % S) + S - 1 - (i % S)),
    prior: [],
    light,
    view: [0, 0, 1],
  };
  const l = Math.hypot(...dir);
  for (let i = 0; i < texels; i++) {
    const g = lobe(
      normals.subarray(3 * i, 3 * i + 3),
      dir.map((v) => v / l),
      [0, 0, 1],
    );
    input.highlight[i] = 0.8 * 0.25 * g * (shinier[i] ? contrast : 1);
  }
  return { input, shinier };
}

describe('specular albedo', () => {
  it('raises a_s where the photo shows stronger highlights than the prior predicts, and not elsewhere', () => {
    const contrastOf = (c: number, oneSided = false) => {
      const { input, shinier } = patch(c, oneSided);
      const { specular } = specularAlbedo(input);
      const mean = (want: number) => {
        let s = 0;
        let n = 0;
        // Away from the boundary, which the smoothing blurs.
        for (let y = 4; y < S - 4; y++)
          for (let x = 4; x < S - 4; x++)
            if (shinier[y * S + x] === want && Math.abs((oneSided ? x : y) - S / 2) > 4) {
              s += specular[y * S + x];
              n++;
            }
        return s / n;
      };
      return mean(1) / mean(0);
    };
    // Evidence is shrunk towards the prior (by the lobe's strength and by the evidence's noise), so
    // the maps show part of the photo's 1.6× contrast, never more; equal highlights leave no contrast.
    expect(contrastOf(1.6)).toBeGreaterThan(1.1);
    expect(contrastOf(1.6)).toBeLessThan(1.6);
    expect(Math.abs(contrastOf(1) - 1)).toBeLessThan(0.02);
  });

  it('takes evidence that differs between the two sides of the face as noise', () => {
    const { input, shinier } = patch(1.6, true);
    const { specular, stats } = specularAlbedo(input);
    // Were every mirror pair's smoothed log ratios ln 1.6 apart, σe² = (ln 1.6)² / 2 and the gain
    // 0.125² / (0.125² + 0.110) = 0.124; pairs near the midline, which the smoothing mixes, differ less.
    expect(stats.gain).toBeGreaterThan(0.124);
    expect(stats.gain).toBeLessThan(0.2);
    let [right, left] = [0, 0];
    for (let i = 0; i < S * S; i++) if (shinier[i]) right += specular[i];
    for (let i = 0; i < S * S; i++) if (!shinier[i]) left += specular[i];
    expect(right / left).toBeLessThan(1.05);
  });

  it('keeps hair at a fraction of the prior whatever its highlights', () => {
    const { input } = patch();
    input.hair = new Uint8Array(S * S).fill(1, 0, S * 4);
    const { specular } = specularAlbedo(input);
    for (let i = 0; i < S * 4; i++)
      expect(specular[i]).toBeCloseTo(SKIN_SPECULAR.skin.strength * BROW_FACTOR, 6);
  });

  it('scales the prior by the hair coverage: (1 − c) of skin plus c of hair', () => {
    const { input } = patch();
    input.highlight.fill(0);
    input.hair = new Float32Array(S * S).fill(0.4);
    const { specular } = specularAlbedo(input);
    const want = SKIN_SPECULAR.skin.strength * (0.6 + 0.4 * BROW_FACTOR);
    for (let i = 0; i < S * S; i++) expect(specular[i]).toBeCloseTo(want, 6);
  });

  it('finds the camera direction in model space from the two sets of vertex normals', () => {
    const R = rotationAboutAxis(
      [0.3, 0.9, 0.1].map((v) => v / Math.hypot(0.3, 0.9, 0.1)) as [number, number, number],
      0.6,
    );
    const model = new Float32Array(300);
    const camera = new Float32Array(300);
    for (let v = 0; v < 100; v++) {
      const n = [Math.sin(v * 1.3), Math.cos(v * 0.7), Math.sin(v * 2.1 + 1)];
      const l = Math.hypot(...n);
      const u = n.map((x) => x / l);
      model.set(u, 3 * v);
      camera.set(mat3Apply(R, u[0], u[1], u[2]), 3 * v);
    }
    // Towards the camera = −(camera +z) in model space = −Rᵀ e_z = −(third row of R).
    const want = [-R[6], -R[7], -R[8]];
    const got = viewDirection(model, camera);
    for (let k = 0; k < 3; k++) expect(got[k]).toBeCloseTo(want[k], 6);
  });

  it('measures millimetres per texel from the position map', () => {
    const size = 8;
    const pos = new Float32Array(size * size * 3);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) pos.set([0.25 * x, 0.5 * y, 0], 3 * (y * size + x));
    // 0.25 cm between horizontal neighbours.
    expect(mmPerTexel(size, pos, new Float32Array(size * size).fill(1), 0.01)).toBeCloseTo(2.5, 9);
  });

  it('lets mesostructure into the normals only where texels are finer than a wrinkle', () => {
    expect(mesostructureGate(2.5)).toBe(0);
    expect(mesostructureGate(1)).toBe(0);
    expect(mesostructureGate(0.75)).toBeCloseTo(0.5, 9);
    expect(mesostructureGate(0.2)).toBe(1);
  });
});
