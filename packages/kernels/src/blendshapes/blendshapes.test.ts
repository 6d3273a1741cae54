import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { BlendshapesCase } from './blendshapes.gpu.ts';
import { blendshapesReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./blendshapes.gpu.ts')>(
  new URL('./blendshapes.gpu.ts', import.meta.url),
);

// Random cases: values in [-1, 1], at most 37 modes. The GPU accumulates in f32 with fma, the
// reference in f64; the f32 rounding error of a 37-term sum of magnitude ≤ 37 is below ~37·6e-8·37
// ≈ 1e-4 in the worst case and ~1e-6 typically, so atol 1e-5 + rtol 1e-5 has margin while an indexing
// mistake (a wrong mode or row) gives errors of O(0.1).
const TOL = { atol: 1e-5, rtol: 1e-5 };

const CASES: { name: string; rows: number; modes: number }[] = [
  { name: 'rows not a multiple of 4 (7), 3 modes (tail only)', rows: 7, modes: 3 },
  { name: 'one row, one mode', rows: 1, modes: 1 },
  { name: '1001 rows (odd), 13 modes (3 groups of four + a tail of one)', rows: 1001, modes: 13 },
  { name: '3 × 1367 rows, 37 modes', rows: 3 * 1367, modes: 37 },
  { name: 'rows a multiple of 4 and modes of 4 (no tails): 4096 × 8', rows: 4096, modes: 8 },
];

describe('blendshapes parity with the CPU reference', () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const args: BlendshapesCase = {
        neutral: randomArray(c.rows, 300 + i),
        basis: randomArray(c.rows * c.modes, 400 + i),
        weights: randomArray(c.modes, 500 + i, -2, 2),
      };
      const got = await page.runBlendshapes(args);
      const cmp = compareArrays(got.data, blendshapesReference(args.neutral, args.basis, args.weights), TOL);
      expect(cmp.ok, cmp.message).toBe(true);
      expect(got.padLanes.every((v) => v === 0)).toBe(true);
      expect(got.liveBuffers).toBe(0);
    });
  });

  it('writes zero pad lanes even when a weight is infinite', async () => {
    const args: BlendshapesCase = {
      neutral: randomArray(5, 1),
      basis: randomArray(10, 2),
      weights: new Float32Array([Infinity, 1]),
    };
    const got = await page.runBlendshapes(args);
    expect(got.padLanes).toEqual([0, 0, 0]);
  });

  it('rejects a basis that is not a whole number of modes, naming the layer and sizes', async () => {
    await expect(page.runMismatched({ rows: 9, basisValues: 20 })).rejects.toThrow(
      /ict: basis of 20 values is not a whole number of modes of 9 rows \(neutral\)/,
    );
  });
});

// The real ICT Face Model (third-party data outside the repository): 26,719 vertices × 3 rows by
// 100 identity + 53 expression modes. Missing data fails the test with a message; it never skips.
const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
const ICT_DIR = resolve(REPO_ROOT, '../shared/data/ict-face-model');

function readF32(name: string): Float32Array {
  const path = resolve(ICT_DIR, name);
  if (!existsSync(path)) {
    throw new Error(
      `ICT Face Model file ${path} is missing: import ICT-FaceKit's FaceXModel with \`avatarme import-face-model\` into ${ICT_DIR}`,
    );
  }
  const b = readFileSync(path);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

function ictNeutral(): Float32Array {
  const text = readFileSync(resolve(ICT_DIR, 'generic_neutral_mesh.obj'), 'utf8');
  const out: number[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('v ')) out.push(...line.trim().split(/\s+/).slice(1, 4).map(Number));
  }
  return new Float32Array(out);
}

describe('blendshapes on the ICT Face Model (../shared/data/ict-face-model)', () => {
  it('26,719×3 rows by 153 modes matches the CPU reference; timed', async () => {
    const neutral = ictNeutral();
    const identity = readF32('identity_modes.f32');
    const expression = readF32('expression_modes.f32');
    expect(neutral.length).toBe(26719 * 3);
    const basis = new Float32Array(identity.length + expression.length);
    basis.set(identity);
    basis.set(expression, identity.length);
    // Identity weights within ±2 (they are ~N(0,1)), expression weights in [0, 1] as ARKit's.
    const weights = new Float32Array(153);
    weights.set(randomArray(100, 77, -2, 2));
    weights.set(randomArray(53, 78, 0, 1), 100);
    const got = await page.runBlendshapes({ neutral, basis, weights, repeats: 5 });
    // Positions up to ~20 cm, mode values up to 3.8: each of the 153 f32 fma steps rounds at ~6e-8 of
    // a partial sum (≤ ~30), so errors of 1e-6..1e-5 cm are expected (2e-5 measured on SwiftShader);
    // 1e-4 cm (one micrometre) is far below any geometric meaning and above rounding, while a wrong
    // mode or row would move vertices by millimetres to centimetres.
    const cmp = compareArrays(got.data, blendshapesReference(neutral, basis, weights), { atol: 1e-4 });
    expect(cmp.ok, cmp.message).toBe(true);
    console.log(
      `[blendshapes] ICT 80157 rows × 153 modes on ${got.adapter}: ${got.msPerRun?.toFixed(2)} ms/run (upload of weights + dispatch + submit), max |diff| ${cmp.maxAbs.toExponential(2)} cm`,
    );
    expect(got.liveBuffers).toBe(0);
  });
});
