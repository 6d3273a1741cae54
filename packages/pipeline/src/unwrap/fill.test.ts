import { describe, expect, it } from 'vitest';
import { linearToSrgb, srgbToLinear } from '../math/colour.ts';
import { shBasis } from '../lighting/sh.ts';
import { randomArray } from '@avatarme/testing';
import { DEFAULT_SKIN_TONE, deshadedSkinTone, farFromKnown } from './fill.ts';

describe('deshadedSkinTone', () => {
  it('divides out an SH shading: a constant albedo under directional light comes back flat', () => {
    const n = 2000;
    const dirs = randomArray(n * 3, 11, -1, 1);
    const normals = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      // Front-facing normals (z > 0.2), as the visible skin of a face.
      const [x, y] = [dirs[3 * i] * 0.8, dirs[3 * i + 1] * 0.8];
      const z = Math.max(0.2, Math.sqrt(Math.max(0, 1 - x * x - y * y)));
      const len = Math.hypot(x, y, z);
      normals.set([x / len, y / len, z / len], 3 * i);
    }
    const albedo = [0.5, 0.32, 0.24];
    // A key light from the upper left plus ambient: an exact order-2 SH function of the normal.
    const sh = [0.9, 0.35, 0.5, -0.3, 0.05, 0.02, 0.1, -0.04, 0.03];
    const colours = new Float32Array(n * 3);
    const shading: number[] = [];
    const basis = new Float64Array(9);
    for (let i = 0; i < n; i++) {
      shBasis(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2], basis);
      const s = sh.reduce((acc, c, k) => acc + c * basis[k], 0);
      shading.push(s);
      for (let c = 0; c < 3; c++) colours[3 * i + c] = linearToSrgb(albedo[c] * s);
    }
    const meanShading = shading.reduce((a, b) => a + b, 0) / n;
    const { tone, samples, deshaded, lit } = deshadedSkinTone(colours, normals, new Float32Array(n).fill(1));
    expect(samples).toBeGreaterThan(n * 0.9);
    // Exact up to the clamp in linearToSrgb (no texel reaches 1 here) and float32 rounding.
    for (let c = 0; c < 3; c++) expect(srgbToLinear(tone[c])).toBeCloseTo(albedo[c] * meanShading, 3);
    // Each texel above the floor comes back at the tone, to 0.005 in sRGB (the fit is least squares on
    // the texels: the tone checked above to 1e-3 in linear): the shading is gone from the colours too.
    expect(lit.reduce((a, b) => a + b, 0)).toBeGreaterThan(n * 0.9);
    for (let i = 0; i < n; i++)
      if (lit[i]) for (let c = 0; c < 3; c++) expect(deshaded[3 * i + c]).toBeCloseTo(tone[c], 2);
  });

  it('falls back to a default tone when too little skin is seen', () => {
    const { tone, samples } = deshadedSkinTone(
      new Float32Array(30),
      new Float32Array(30),
      new Float32Array(10),
    );
    expect(tone).toEqual(DEFAULT_SKIN_TONE);
    expect(samples).toBe(0);
  });
});

describe('farFromKnown', () => {
  it('keeps a band around known texels of the same surface only', () => {
    // Texels on a line x = 0..9 (cm) on surface 1, and a copy of the line 0.1 cm behind on surface 2.
    const positions = new Float32Array(20 * 3);
    const surface = new Uint8Array(20);
    const known = new Float32Array(20);
    for (let i = 0; i < 10; i++) {
      positions.set([i, 0, 0], 3 * i);
      positions.set([i, 0, -0.1], 3 * (10 + i));
      surface[i] = 1;
      surface[10 + i] = 2;
    }
    known[0] = 1; // only texel x = 0 of surface 1 is known
    surface[9] = 0; // outside the layout
    const far = farFromKnown(known, surface, positions, [0, 2.5, 0.5]);
    // Surface 1: x = 1, 2 within 2.5 of the known texel stay for push-pull; 3…8 are filled; 9 is outside.
    expect(Array.from(far.subarray(0, 10))).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1, 0]);
    // Surface 2 has nothing known, however close surface 1's known texel is: all filled.
    expect(Array.from(far.subarray(10))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('is the brute-force answer on scattered texels of three surfaces (one never far)', () => {
    let seed = 5;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const n = 1500;
    const positions = Float32Array.from({ length: 3 * n }, () => next() * 20 - 10);
    const surface = Uint8Array.from({ length: n }, () => Math.floor(next() * 4));
    const known = Float32Array.from({ length: n }, () => (next() < 0.1 ? 1 : 0));
    const bands = [0, 1.5, 3, Infinity];
    const far = farFromKnown(known, surface, positions, bands);
    const brute = Array.from({ length: n }, (_, i) => {
      const id = surface[i];
      if (id === 0 || !Number.isFinite(bands[id]) || known[i] > 0) return 0;
      for (let j = 0; j < n; j++) {
        if (surface[j] !== id || !(known[j] > 0)) continue;
        const d =
          (positions[3 * i] - positions[3 * j]) ** 2 +
          (positions[3 * i + 1] - positions[3 * j + 1]) ** 2 +
          (positions[3 * i + 2] - positions[3 * j + 2]) ** 2;
        if (d <= bands[id] ** 2) return 0;
      }
      return 1;
    });
    expect(Array.from(far)).toEqual(brute);
    expect(brute.filter(Boolean).length).toBeGreaterThan(50);
    expect(brute.filter(Boolean).length).toBeLessThan(n - 50);
  });
});
