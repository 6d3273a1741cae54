import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICT_MODEL_DIR, loadIctModel } from '@avatarme/pipeline/morphable/ict-testdata.ts';
import { loadMorphableModel } from '@avatarme/pipeline/morphable/load.ts';
import type { MorphableModel } from '@avatarme/pipeline/morphable/model.ts';
import { nodeModelReader } from '@avatarme/pipeline/morphable/node-files.ts';
import { importFaceModelCommand } from './import-face-model.ts';

// A small FaceXModel folder in ICT-FaceKit's layout, generated from the real model's data: the real
// neutral OBJ, identity000/001.obj = neutral + identity modes 0 and 1, jawOpen.obj = neutral + that
// expression, plus an OBJ the expression list does not name (ICT ships such extras).
const root = mkdtempSync(join(tmpdir(), 'facekit-'));
const faceX = join(root, 'FaceXModel');
let real: MorphableModel;
let neutralText: string;

/** The neutral OBJ with its `v` lines moved by mode k of a set (written at float64 precision). */
function shapeObj(data: Float32Array, k: number, vertexCount: number): string {
  let v = 0;
  const n = vertexCount * 3;
  return neutralText
    .split('\n')
    .map((line) => {
      if (!line.startsWith('v ')) return line;
      const p = line.trim().split(/\s+/).slice(1, 4).map(Number);
      const moved = p.map((x, c) => x + data[k * n + v * 3 + c]);
      v++;
      return `v ${moved.join(' ')}`;
    })
    .join('\n');
}

function writeFaceX(
  dir: string,
  opts: { identities?: number[]; expressions?: string[]; listed?: string[] } = {},
) {
  const { identities = [0, 1], expressions = ['jawOpen'], listed = ['jawOpen'] } = opts;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'generic_neutral_mesh.obj'), neutralText);
  const indices = JSON.parse(readFileSync(join(ICT_MODEL_DIR, 'vertex_indices.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  writeFileSync(join(dir, 'vertex_indices.json'), JSON.stringify({ ...indices, expressions: listed }));
  for (const i of identities) {
    writeFileSync(
      join(dir, `identity${String(i).padStart(3, '0')}.obj`),
      shapeObj(real.identity.data, i, real.vertexCount),
    );
  }
  for (const e of expressions) {
    const k = real.expression.names.indexOf(e);
    writeFileSync(join(dir, `${e}.obj`), shapeObj(real.expression.data, k, real.vertexCount));
  }
}

beforeAll(async () => {
  real = await loadIctModel();
  neutralText = readFileSync(join(ICT_MODEL_DIR, 'generic_neutral_mesh.obj'), 'utf8');
  writeFaceX(faceX, { expressions: ['jawOpen', 'cheekRaiser_L'] });
  writeFileSync(join(root, 'LICENSE'), readFileSync(join(ICT_MODEL_DIR, 'LICENSE')));
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('avatarme import-face-model', () => {
  it('round-trips: the imported folder loads back as the real model restricted to those modes', async () => {
    const out = join(root, 'out');
    await importFaceModelCommand([faceX, '--out', out]);
    expect(readdirSync(out).sort()).toEqual(
      [
        'LICENSE',
        'expression_modes.f32',
        'generic_neutral_mesh.obj',
        'identity_modes.f32',
        'model.json',
        'vertex_indices.json',
      ].sort(),
    );
    const got = await loadMorphableModel(nodeModelReader(out));
    expect(got.vertexCount).toBe(real.vertexCount);
    expect(got.neutral).toEqual(real.neutral);
    expect(got.triangles).toEqual(real.triangles);
    expect(got.uvTriangles).toEqual(real.uvTriangles);
    expect(got.texcoords).toEqual(real.texcoords);
    expect(got.groups).toEqual(real.groups);
    expect(got.regions).toEqual(real.regions);
    expect(got.landmarks).toEqual(real.landmarks);
    expect(got.identity.count).toBe(2);
    expect(got.expression.names).toEqual(['jawOpen']);
    const n = real.vertexCount * 3;
    // The OBJs hold neutral + mode in float64 text, the importer subtracts in float64 and rounds to
    // float32: the modes come back to within float64 rounding (~1e-15 cm), i.e. as the same float32s.
    expect(maxAbsDiff(got.identity.data, real.identity.data.subarray(0, 2 * n))).toBeLessThan(1e-9);
    const jaw = real.expression.names.indexOf('jawOpen');
    expect(
      maxAbsDiff(got.expression.data, real.expression.data.subarray(jaw * n, (jaw + 1) * n)),
    ).toBeLessThan(1e-9);
  });

  it('names the missing identity when the numbering has a gap', async () => {
    const dir = join(root, 'gap');
    writeFaceX(dir, { identities: [0, 2] });
    await expect(importFaceModelCommand([dir, '--out', join(root, 'o1')])).rejects.toThrow(
      /^identity001\.obj: missing \(identity modes must be numbered 0\.\.1 without gaps\)$/,
    );
  });

  it('names an expression of the list that has no OBJ', async () => {
    const dir = join(root, 'noexpr');
    writeFaceX(dir, { expressions: [], listed: ['jawOpen'] });
    await expect(importFaceModelCommand([dir, '--out', join(root, 'o2')])).rejects.toThrow(
      /^jawOpen\.obj: missing \(listed in vertex_indices\.json "expressions"\)$/,
    );
  });

  it('rejects a shape whose vertex count differs from the neutral mesh', async () => {
    const dir = join(root, 'short');
    writeFaceX(dir);
    const path = join(dir, 'identity001.obj');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.splice(
      lines.findIndex((l) => l.startsWith('v ')),
      1,
    );
    writeFileSync(path, lines.join('\n'));
    await expect(importFaceModelCommand([dir, '--out', join(root, 'o3')])).rejects.toThrow(
      /^identity001\.obj: 26718 vertices, generic_neutral_mesh\.obj has 26719$/,
    );
  });

  it('explains its usage and a missing folder in one line', async () => {
    await expect(importFaceModelCommand([faceX])).rejects.toThrow(/^usage: avatarme import-face-model/);
    await expect(importFaceModelCommand([join(root, 'nope'), '--out', join(root, 'o4')])).rejects.toThrow(
      /nope: cannot read directory \(ENOENT\)$/,
    );
  });
});
