import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ICT_MODEL_DIR, loadIctModel } from './ict-testdata.ts';
import { loadMorphableModel } from './load.ts';
import { evaluateShape, evaluateVertices } from './model.ts';
import { nodeModelReader } from './node-files.ts';
import { parseObj } from './obj.ts';
import { gatherPositions, uvMesh } from './uv-mesh.ts';

describe('OBJ parsing', () => {
  it('triangulates quads as fans keeping winding, and keeps UV indices parallel', () => {
    const obj = parseObj(
      [
        'v 0 0 0',
        'v 1 0 0',
        'v 1 1 0',
        'v 0 1 0',
        'v 2 0 0',
        'vt 0 0',
        'vt 1 0',
        'vt 1 1',
        'vt 0 1',
        'vt 0.5 0.5',
        'usemtl A',
        'f 1/1 2/2 3/3 4/4',
        'usemtl B',
        'f 2/2 5/5 -3/3',
      ].join('\n'),
      'quad.obj',
    );
    expect(Array.from(obj.triangles)).toEqual([0, 1, 2, 0, 2, 3, 1, 4, 2]);
    expect(Array.from(obj.uvTriangles)).toEqual([0, 1, 2, 0, 2, 3, 1, 4, 2]);
    expect(obj.groups).toEqual([
      { name: 'A', start: 0, count: 2 },
      { name: 'B', start: 2, count: 1 },
    ]);
    expect(obj.polygonSides).toEqual({ 3: 1, 4: 1 });
  });

  it('names file and line for an index out of range', () => {
    expect(() => parseObj('v 0 0 0\nv 1 0 0\nf 1 2 7', 'bad.obj')).toThrow(
      /^bad\.obj:3: vertex index 7 out of range 1\.\.2$/,
    );
  });
});

describe('the ICT Face Model loader (reads ../shared/data/ict-face-model)', () => {
  it('loads the real model: counts, groups, regions, landmarks all consistent', async () => {
    const m = await loadIctModel();
    expect(m.vertexCount).toBe(26719);
    expect(m.identity.count).toBe(100);
    expect(m.expression.count).toBe(53);
    expect(m.expression.names[26]).toBe('jawOpen');
    // 25,836 quads → 2 triangles each, 548 triangles stay: 52,220 triangles.
    expect(m.triangles.length / 3).toBe(25836 * 2 + 548);
    expect(m.texcoords.length / 2).toBe(28911);
    expect(m.groups.map((g) => g.name)).toContain('M_Face');
    expect(m.groups.reduce((s, g) => s + g.count, 0)).toBe(m.triangles.length / 3);
    expect(m.regions.find((r) => r.name === 'face')).toEqual({ name: 'face', first: 0, last: 9408 });
    expect(m.landmarks.length).toBe(68);
    // Landmarks 36/45 (outer eye corners) are mirror images in x on the symmetric neutral face.
    const eyes = evaluateVertices(
      m,
      [m.landmarks[36], m.landmarks[45]],
      new Float64Array(100),
      new Float64Array(53),
    );
    expect(eyes[0]).toBeCloseTo(-eyes[3], 4);
    expect(eyes[0]).toBeLessThan(0);
  });

  it('splits UV seams so every vertex has one UV and positions follow their source vertex', async () => {
    const m = await loadIctModel();
    const mesh = uvMesh(m);
    expect(mesh.triangles.length).toBe(m.triangles.length);
    expect(mesh.sourceVertex.length).toBeGreaterThanOrEqual(m.vertexCount - 1);
    const pos = gatherPositions(m.neutral, mesh.sourceVertex);
    for (const t of [0, 1000, 40000]) {
      for (let c = 0; c < 3; c++) {
        const split = mesh.triangles[t * 3 + c];
        const orig = m.triangles[t * 3 + c];
        expect(pos[split * 3 + 1]).toBe(m.neutral[orig * 3 + 1]);
        expect(mesh.uvs[split * 2]).toBe(m.texcoords[m.uvTriangles[t * 3 + c] * 2]);
      }
    }
  });

  it('evaluates a shape as neutral + identity + expression offsets', async () => {
    const m = await loadIctModel();
    const a = new Float64Array(100);
    const b = new Float64Array(53);
    a[3] = 1.5;
    b[26] = 0.7;
    const full = evaluateShape(m, a, b);
    const v = 1234;
    const n = m.vertexCount * 3;
    for (let c = 0; c < 3; c++) {
      const expected =
        m.neutral[v * 3 + c] +
        1.5 * m.identity.data[3 * n + v * 3 + c] +
        0.7 * m.expression.data[26 * n + v * 3 + c];
      expect(full[v * 3 + c]).toBeCloseTo(expected, 5);
    }
  });
});

describe('bad model folders give one-line errors naming the file', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A copy of the real folder's small files with the big .f32 files replaced by `edit`. */
  function brokenCopy(edit: (dir: string, manifest: Record<string, unknown>) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'ict-bad-'));
    dirs.push(dir);
    for (const f of [
      'generic_neutral_mesh.obj',
      'vertex_indices.json',
      'identity_modes.f32',
      'expression_modes.f32',
    ])
      copyFileSync(join(ICT_MODEL_DIR, f), join(dir, f));
    const manifest = JSON.parse(readFileSync(join(ICT_MODEL_DIR, 'model.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    edit(dir, manifest);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
    return dir;
  }

  it('a short .f32 file', async () => {
    const dir = brokenCopy((d) => {
      const b = readFileSync(join(d, 'expression_modes.f32'));
      writeFileSync(join(d, 'expression_modes.f32'), b.subarray(0, b.length - 8));
    });
    await expect(loadMorphableModel(nodeModelReader(dir))).rejects.toThrow(
      /^expression_modes\.f32: 16993276 bytes, expected 53×26719×3 float32 = 16993284 bytes \(short file\)$/,
    );
  });

  it('modes whose vertex count differs from the neutral mesh', async () => {
    const dir = brokenCopy((_, m) => {
      (m.identity_modes as { shape: number[] }).shape = [100, 26718, 3];
    });
    await expect(loadMorphableModel(nodeModelReader(dir))).rejects.toThrow(
      /identity_modes\.f32: identity modes are for 26718 vertices, the neutral mesh has 26719/,
    );
  });

  it('missing mode set in the manifest, and a missing mode file', async () => {
    const noExpr = brokenCopy((_, m) => {
      delete m.expression_modes;
    });
    await expect(loadMorphableModel(nodeModelReader(noExpr))).rejects.toThrow(
      /model\.json: missing "expression_modes"/,
    );
    const noFile = brokenCopy((d) => rmSync(join(d, 'identity_modes.f32')));
    await expect(loadMorphableModel(nodeModelReader(noFile))).rejects.toThrow(
      /identity_modes\.f32: missing file$/,
    );
  });
});
