import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { randomArray, useGpuPage } from '@avatarme/testing';
import { mat3Mul, rotationFromAxisAngle } from '../math/linalg.ts';
import { FRONTAL_ROTATION } from '../morphable/pose.ts';
import { bundledHeadModelUrl } from '../morphable/bundled.ts';
import { psnr } from '../render/quality.ts';
import { HEAD_ATLAS } from './atlas.ts';
import type { RoundTripCase } from './head.gpu.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./head.gpu.ts')>(new URL('./head.gpu.ts', import.meta.url));
const ROOT = resolve(import.meta.dirname, '../../../..');
const OUT = resolve(ROOT, 'reports/head');
/** The compact head shipped with the package (what reconstruct uses by default). */
const BUNDLED_HEAD = fileURLToPath(bundledHeadModelUrl());

describe('ICT head on the sample photo (assets/astronaut.png)', () => {
  it('fits pose, identity and expression, unwraps the photo onto the head atlas and fills the unseen head', async () => {
    const modelUrl = gpu.page.serveDirectory(BUNDLED_HEAD);
    const bytes = new Uint8Array(readFileSync(resolve(ROOT, 'assets/astronaut.png')));
    // FaceMesh's points on this photo, checked against a fresh run by render/face.test.ts.
    const marks = JSON.parse(readFileSync(resolve(ROOT, 'assets/astronaut-landmarks.json'), 'utf8')) as {
      landmarks: [number, number, number][];
    };
    expect(marks.landmarks).toHaveLength(468);
    const got = await page.headEndToEnd({
      bytes,
      name: 'astronaut.png',
      modelUrl,
      uvSize: 256,
      landmarks: marks.landmarks,
    });
    mkdirSync(OUT, { recursive: true });
    for (const [name, png] of Object.entries(got.pngs))
      writeFileSync(resolve(OUT, `astronaut-${name}.png`), png);
    const { pngs: _pngs, identity: _identity, expression: _expression, ...figures } = got;
    console.log(`[head] ${JSON.stringify(figures)}`);

    const q = got.quality;
    // FaceMesh's 68 points are themselves a few px off any real head, and the photo fit (noise σ 8 px,
    // head/fit.ts PHOTO_FIT_OPTIONS) does not chase them: ~3.2 px here. A wrong pose or a collapsed
    // fit leaves ≥ 5 px on this ~60 px inter-ocular face, and the shape modes must beat the rigid head.
    expect(q.fitted.meanPx).toBeLessThan(4);
    expect(q.fitted.meanPx).toBeLessThan(q.rigidOnly.meanPx);
    expect(q.fitted.meanPctInterOcular).toBeLessThan(6.5);
    // The fit's bound: no exploding coefficients.
    expect(q.maxAbsIdentity).toBeLessThanOrEqual(3 + 1e-9);
    expect(got.identity.every((w) => Number.isFinite(w) && Math.abs(w) <= 3 + 1e-9)).toBe(true);
    expect(q.denseMatches).toBeGreaterThan(0);
    // A near-frontal portrait: the face is seen, the back of the head filled.
    expect(Math.abs(got.angles.yaw)).toBeLessThan(20);
    expect(got.stats.observedShare).toBeGreaterThan(0.1);
    expect(got.stats.filledShare).toBeGreaterThan(0.1);
    expect(got.stats.mirrored).toBeGreaterThan(0);
    expect(got.skinTexels).toBeGreaterThan(500);
    // A skin tone, not black, white or saturated: red ≥ green ≥ blue within [0.2, 0.95].
    const [r, g, b] = got.skinTone;
    expect(r).toBeGreaterThan(g);
    expect(g).toBeGreaterThan(b - 0.02);
    expect(Math.min(r, g, b)).toBeGreaterThan(0.15);
    expect(Math.max(r, g, b)).toBeLessThan(0.95);
    // The texture came from this photo (photo → 256² atlas, face 2/3 of it → photo): a texture on the
    // wrong part of the face or a flipped UV axis gives < 20 dB.
    expect(got.psnr).toBeGreaterThan(24);
    expect(got.mesh.metresPerUnit).toBe(0.01);
    expect(got.mesh.uvMin).toBeGreaterThanOrEqual(0);
    expect(got.mesh.uvMax).toBeLessThanOrEqual(1);
    expect(got.leaked).toBe(0);
    // The astronaut's fringe covers her forehead: those texels must count as unseen (completed from
    // skin), so the forehead's texture loses the strands' high frequencies. Measured here: the
    // mean squared 3×3 high-pass of the luminance over the forehead, masked against unmasked.
    const f = got.forehead;
    expect(f.texels).toBeGreaterThan(200);
    expect(f.occludedShare).toBeGreaterThan(0.2);
    expect(f.highFrequency).toBeLessThan(0.5 * f.highFrequencyUnmasked);
    // No flat colour on the unseen head: the back of the head carries the photo's skin grain, at a
    // level like the seen skin's (push-pull alone leaves it at ~1% of it).
    expect(got.grain.backOfHead).toBeGreaterThan(0.3 * got.grain.seenSkin);
    expect(got.grain.backOfHead).toBeLessThan(3 * got.grain.seenSkin);
  });
});

/** A smooth, colourful atlas texture, mirror-symmetric about each cell's vertical centre line. */
function symmetricAtlasTexture(size: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  const cells = Object.values(HEAD_ATLAS);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const [u, v] = [(x + 0.5) / size, (y + 0.5) / size];
      const cell = cells.find((c) => u >= c.x && u < c.x + c.size && v >= c.y && v < c.y + c.size)!;
      const du = Math.abs((u - cell.x) / cell.size - 0.5);
      const dv = (v - cell.y) / cell.size;
      out.set(
        [0.5 + 0.35 * Math.cos(12 * du), 0.5 + 0.35 * Math.sin(9 * dv), 0.4 + 0.3 * Math.cos(6 * (du + dv))],
        3 * (y * size + x),
      );
    }
  return out;
}

describe('head unwrap on a synthetic photo (known texture, known pose and shape)', () => {
  it('recovers the texture where seen and completes the far side by symmetry', async () => {
    const size = 128;
    const truth = symmetricAtlasTexture(size);
    // Turned 35° (yaw about the camera's vertical) and tilted 5°, a random identity within ±1.5.
    const turn = mat3Mul(
      rotationFromAxisAngle([0, (35 * Math.PI) / 180, 0]),
      rotationFromAxisAngle([(5 * Math.PI) / 180, 0, 0]),
    );
    const c: RoundTripCase = {
      modelUrl: gpu.page.serveDirectory(BUNDLED_HEAD),
      width: 200,
      height: 220,
      pose: { rotation: mat3Mul(turn, FRONTAL_ROTATION), scale: 5, translation: [100, 100, 0] },
      identity: randomArray(100, 21, -1.5, 1.5),
      expression: new Float32Array(53),
      truth,
      uvSize: size,
      background: [0.1, 0.2, 0.3],
    };
    const got = await page.headRoundTrip(c);
    mkdirSync(OUT, { recursive: true });
    for (const [name, png] of Object.entries(got.pngs))
      writeFileSync(resolve(OUT, `synthetic-${name}.png`), png);
    // Scored on the skin cells (face, back of the head) and on the eyeballs, which the photo shows
    // through the eyelids (a texel hidden by a lid a millimetre in front must not count as seen).
    const inCells = (names: string[]) => (i: number) => {
      const [u, v] = [((i % size) + 0.5) / size, (Math.floor(i / size) + 0.5) / size];
      return names.some((n) => {
        const c = HEAD_ATLAS[n];
        return u >= c.x && u < c.x + c.size && v >= c.y && v < c.y + c.size;
      });
    };
    const skin = inCells(['M_Face', 'M_BackHead']);
    const eyes = inCells(['M_ScleraLeft', 'M_ScleraRight']);
    const mask = (source: number, where: (i: number) => boolean) =>
      Float32Array.from(got.source, (s, i) => (s === source && where(i) ? 1 : 0));
    const observedPsnr = psnr(got.observed, truth, mask(1, skin));
    const mirroredPsnr = psnr(got.texture, truth, mask(2, skin));
    const eyePsnr = psnr(got.observed, truth, mask(1, eyes));
    console.log(
      `[head synthetic] ${JSON.stringify(got.stats)}; PSNR on skin: observed ${observedPsnr.toFixed(1)} dB, mirrored ${mirroredPsnr.toFixed(1)} dB; eyeballs observed ${eyePsnr.toFixed(1)} dB`,
    );
    // Two bilinear resamplings (atlas → photo → atlas) of a smooth texture at about one texel per
    // pixel: a few percent error at most (> 25 dB); a flipped axis or wrong visibility gives ~10 dB.
    expect(observedPsnr).toBeGreaterThan(25);
    // Mirrored texels take the other side's colour through the position-built mirror map.
    expect(mirroredPsnr).toBeGreaterThan(25);
    expect(eyePsnr).toBeGreaterThan(25);
    expect(got.stats.mirrored).toBeGreaterThan(got.stats.observed / 10);
    expect(got.stats.filled).toBeGreaterThan(0);
    expect(got.liveBuffers).toBe(0);
  });
});
