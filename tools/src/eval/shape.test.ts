import { applySimilarity } from '@avatarme/pipeline/fit/similarity.ts';
import { describe, expect, it } from 'vitest';
import { alignSimilarity, closestOnTriangle, shapeError } from './shape.ts';

/** A face-like height field (metres): a dome with an off-centre nose, on a grid, as a triangle mesh. */
function surface(n = 40, offset = 0) {
  const positions: number[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const x = -0.08 + (0.16 * i) / (n - 1);
      const y = -0.09 + (0.18 * j) / (n - 1);
      const z =
        0.04 * Math.exp(-(x * x + y * y) / 0.004) +
        0.02 * Math.exp(-((x - 0.005) ** 2 + (y + 0.01) ** 2) / 0.0003) +
        0.006 * Math.exp(-((x + 0.03) ** 2 + (y - 0.03) ** 2) / 0.0002);
      positions.push(x, y, z + offset);
    }
  const triangles: number[] = [];
  for (let j = 0; j < n - 1; j++)
    for (let i = 0; i < n - 1; i++) {
      const a = j * n + i;
      triangles.push(a, a + 1, a + n, a + 1, a + n + 1, a + n);
    }
  return { positions: Float32Array.from(positions), triangles: Uint32Array.from(triangles) };
}

describe('closestOnTriangle', () => {
  const [a, b, c] = [
    [0, 0, 0],
    [1, 0, 0],
    [0, 1, 0],
  ];
  it('projects onto the face, clamps to edges and corners', () => {
    closestOnTriangle([0.2, 0.2, 5], a, b, c).forEach((v, k) => expect(v).toBeCloseTo([0.2, 0.2, 0][k], 12));
    expect(closestOnTriangle([2, -1, 0], a, b, c)).toEqual([1, 0, 0]);
    const e = closestOnTriangle([1, 1, 0], a, b, c);
    expect(e[0]).toBeCloseTo(0.5, 12);
    expect(e[1]).toBeCloseTo(0.5, 12);
  });
});

describe('alignSimilarity', () => {
  it('recovers a known similarity between the same surface in cm, turned and shifted', () => {
    const subject = surface();
    // The face is the middle of the surface, as a head continues beyond its face region.
    const face = Float32Array.from({ length: subject.positions.length / 3 }, (_, i) =>
      Math.abs(subject.positions[3 * i]) < 0.06 && Math.abs(subject.positions[3 * i + 1]) < 0.07 ? 1 : 0,
    );
    // Ours: the subject in centimetres, turned 6° about y and 4° about x, moved by (1, −2, 0.5) cm.
    const [cy, sy, cx, sx] = [Math.cos(0.105), Math.sin(0.105), Math.cos(0.07), Math.sin(0.07)];
    const ours = new Float32Array(subject.positions.length);
    for (let i = 0; i < ours.length; i += 3) {
      const [x, y, z] = subject.positions.subarray(i, i + 3);
      const [x1, z1] = [cy * x + sy * z, -sy * x + cy * z];
      const [y2, z2] = [cx * y - sx * z1, sx * y + cx * z1];
      ours.set([x1 * 100 + 1, y2 * 100 - 2, z2 * 100 + 0.5], i);
    }
    const sim = alignSimilarity(ours, subject.positions, face, { scale: 0.01 });
    const back = applySimilarity(sim, ours);
    let worst = 0;
    for (let i = 0; i < back.length; i++) worst = Math.max(worst, Math.abs(back[i] - subject.positions[i]));
    expect(sim.scale).toBeCloseTo(0.01, 5);
    expect(worst).toBeLessThan(2e-4);
  });
});

describe('shapeError', () => {
  it('is 0 on the surface itself and the offset when moved 3 mm along z', () => {
    const s = surface();
    expect(shapeError(s.positions, s.positions, s.triangles, 1).medianMm).toBeLessThan(1e-6);
    const flat = {
      positions: Float32Array.from([-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0]),
      triangles: Uint32Array.from([0, 1, 2, 0, 2, 3]),
    };
    const points = Float32Array.from([0, 0, 0.003, 0.1, 0.2, 0.003, -0.3, 0.1, 0.003]);
    const e = shapeError(points, flat.positions, flat.triangles, 1);
    expect(e.medianMm).toBeCloseTo(3, 6);
    expect(e.meanMm).toBeCloseTo(3, 6);
    expect(e.within10mm).toBe(1);
  });
  it('charges points with no surface of ours nearby the cap', () => {
    const flat = {
      positions: Float32Array.from([-1, -1, 0, 1, -1, 0, 1, 1, 0]),
      triangles: Uint32Array.from([0, 1, 2]),
    };
    const e = shapeError(Float32Array.from([0.5, -0.5, 0.001, 0, 0, 0.5]), flat.positions, flat.triangles, 1);
    expect(e.meanMm).toBeCloseTo((1 + 20) / 2, 6);
  });
});
