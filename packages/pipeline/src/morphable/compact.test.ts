import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledHeadModelUrl } from './bundled.ts';
import { compactModelFolder, COMPACT_REGIONS } from './compact.ts';
import { requireIctModelDir, loadIctModel } from './ict-testdata.ts';
import { loadMorphableModel } from './load.ts';
import { nodeModelReader } from './node-files.ts';
import { dequantiseModes, quantiseModes } from './quantise.ts';

const BUNDLED_DIR = fileURLToPath(bundledHeadModelUrl());
const bytes = (dir: string, f: string) => {
  const b = readFileSync(join(dir, f));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

describe('block-scaled int8 modes', () => {
  it('round-trips within half a step of each block, and zero blocks stay exactly zero', () => {
    // 2 modes × 5 vertices, block 2: blocks of very different magnitude and one all-zero block.
    const data = Float32Array.from([
      0.001,
      -0.002,
      0.003,
      0.0005,
      0,
      0,
      10,
      -7,
      3,
      2,
      1,
      0,
      0,
      0,
      0, //
      0,
      0,
      0,
      0,
      0,
      0,
      -0.5,
      0.25,
      0.125,
      0.3,
      0.2,
      0.1,
      4,
      4,
      -4,
    ]);
    const q = quantiseModes(data, 2, 5, 2);
    expect(q.scales.length).toBe(2 * 3);
    const back = dequantiseModes(q, 2, 5);
    for (let k = 0; k < 2; k++)
      for (let b = 0; b < 3; b++) {
        const step = q.scales[k * 3 + b];
        for (let i = (k * 5 + 2 * b) * 3; i < (k * 5 + Math.min(5, 2 * b + 2)) * 3; i++)
          expect(Math.abs(back[i] - data[i])).toBeLessThanOrEqual(step / 2 + 1e-9);
      }
    expect(Array.from(back.subarray(15, 21))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('the compact ICT head shipped in models/ict-head', () => {
  it('is exactly what the compaction script makes from the full ICT Face Model', () => {
    const dir = requireIctModelDir();
    const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const files = compactModelFolder({
      manifest: readFileSync(join(dir, 'model.json'), 'utf8'),
      neutralObj: readFileSync(join(dir, m.neutral.split(/\s+/)[0]), 'utf8'),
      identity: bytes(dir, m.identity_modes.file),
      expression: bytes(dir, m.expression_modes.file),
      vertexIndices: readFileSync(join(dir, 'vertex_indices.json'), 'utf8'),
    });
    const shipped = readdirSync(BUNDLED_DIR).filter((f) => !['LICENSE', 'CREDITS.md'].includes(f));
    expect(shipped.sort()).toEqual(Object.keys(files).sort());
    for (const [name, data] of Object.entries(files))
      expect(Buffer.compare(readFileSync(join(BUNDLED_DIR, name)), Buffer.from(data)), name).toBe(0);
    // Licence and credits travel with the derivative (MIT requires the notice).
    expect(readFileSync(join(BUNDLED_DIR, 'LICENSE'), 'utf8')).toMatch(/MIT|Permission is hereby granted/);
  });

  it('stays under 16 MB on disk', () => {
    const total = readdirSync(BUNDLED_DIR).reduce((s, f) => s + readFileSync(join(BUNDLED_DIR, f)).length, 0);
    expect(total).toBeLessThan(16e6);
  });

  it('reproduces the full model within 1 mm at any vertex and 0.1 mm on average, over random weights', async () => {
    const [full, compact] = await Promise.all([
      loadIctModel(),
      loadMorphableModel(nodeModelReader(BUNDLED_DIR)),
    ]);
    const V = compact.vertexCount;
    expect(V).toBeLessThan(full.vertexCount);
    expect(compact.regions.map((r) => r.name)).toEqual(COMPACT_REGIONS);
    expect(compact.identity.count).toBe(full.identity.count);
    expect(compact.expression.names).toEqual(full.expression.names);
    expect(Array.from(compact.landmarks)).toEqual(Array.from(full.landmarks));
    expect(Array.from(compact.neutral)).toEqual(Array.from(full.neutral.subarray(0, V * 3)));
    // Units are centimetres: errors × 10 are millimetres. Identity weights ~ N(0, 1) (the model's
    // prior), expression weights ~ U(0, 1) (ARKit-style blend shapes), seeded.
    let seed = 7;
    const uniform = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    let sum = 0;
    let max = 0;
    const trials = 8;
    for (let t = 0; t < trials; t++) {
      const err = new Float64Array(V * 3);
      const add = (w: number, a: Float32Array, b: Float32Array, k: number, fullV: number) => {
        for (let i = 0; i < V * 3; i++) err[i] += w * (a[k * V * 3 + i] - b[k * fullV * 3 + i]);
      };
      for (let k = 0; k < compact.identity.count; k++)
        add(normal(), compact.identity.data, full.identity.data, k, full.vertexCount);
      for (let k = 0; k < compact.expression.count; k++)
        add(uniform(), compact.expression.data, full.expression.data, k, full.vertexCount);
      for (let v = 0; v < V; v++) {
        const e = 10 * Math.hypot(err[3 * v], err[3 * v + 1], err[3 * v + 2]);
        sum += e;
        max = Math.max(max, e);
      }
    }
    const mean = sum / (V * trials);
    console.log(
      `compact vs full ICT head over ${trials} random faces: mean ${mean.toFixed(4)} mm, max ${max.toFixed(3)} mm`,
    );
    expect(mean).toBeLessThan(0.1);
    expect(max).toBeLessThan(1);
  }, 120_000);
});
