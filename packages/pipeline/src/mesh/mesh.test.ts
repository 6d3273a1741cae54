import { describe, expect, it } from 'vitest';
import { canonicalFace, FACE_VERTEX_COUNT, mirrorVertexMap, skinTriangles } from './face-mesh.ts';
import { vertexNormals } from './normals.ts';
import { planLoopSubdivision, Subdivision } from './subdivide.ts';

function gridMesh(n: number): { positions: Float32Array; triangles: Uint32Array } {
  const positions: number[] = [];
  for (let j = 0; j <= n; j++) for (let i = 0; i <= n; i++) positions.push(i, j, 0);
  const triangles: number[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const a = j * (n + 1) + i;
      triangles.push(a, a + 1, a + n + 2, a, a + n + 2, a + n + 1);
    }
  return { positions: Float32Array.from(positions), triangles: Uint32Array.from(triangles) };
}

describe('canonical face data', () => {
  const face = canonicalFace();

  it('has 468 vertices, UVs in [0, 1] and 880 triangles indexing them', () => {
    expect(face.positions.length).toBe(FACE_VERTEX_COUNT * 3);
    expect(face.uvs.length).toBe(FACE_VERTEX_COUNT * 2);
    expect(face.triangles.length).toBe(880 * 3);
    expect(Math.max(...face.triangles)).toBe(FACE_VERTEX_COUNT - 1);
    expect(Math.min(...face.uvs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...face.uvs)).toBeLessThanOrEqual(1);
  });

  it('is mirror-symmetric in positions (exactly) and UVs (u → 1 − u within 0.0013)', () => {
    const mirror = mirrorVertexMap(face.positions);
    let midline = 0;
    for (let i = 0; i < FACE_VERTEX_COUNT; i++) {
      const j = mirror[i];
      expect(mirror[j]).toBe(i);
      if (i === j) midline++;
      expect(face.positions[3 * j] + face.positions[3 * i]).toBe(0);
      expect(face.positions[3 * j + 1]).toBe(face.positions[3 * i + 1]);
      expect(Math.abs(face.uvs[2 * j] - (1 - face.uvs[2 * i]))).toBeLessThan(0.0013);
      expect(Math.abs(face.uvs[2 * j + 1] - face.uvs[2 * i + 1])).toBeLessThan(0.0013);
    }
    expect(midline).toBe(28);
  });

  it('orients the UV layout like the face: forehead (10) above chin (152), right eye (33) on the left', () => {
    const uv = (i: number) => [face.uvs[2 * i], face.uvs[2 * i + 1]];
    expect(uv(10)[1]).toBeLessThan(uv(152)[1]);
    expect(uv(33)[0]).toBeLessThan(0.5);
    expect(face.positions[3 * 33]).toBeLessThan(0);
  });

  it('winds triangles counter-clockwise seen from the front: vertex normals point to +z on the face', () => {
    const normals = vertexNormals(face.positions, face.triangles);
    expect(normals[3 * 1 + 2]).toBeGreaterThan(0.8); // nose tip
    expect(normals[3 * 151 + 2]).toBeGreaterThan(0.8); // forehead
  });

  it('marks eye, brow and lip triangles as not skin and the cheeks as skin', () => {
    const skin = skinTriangles(face.triangles);
    const share = skin.reduce((a, b) => a + b, 0) / skin.length;
    expect(share).toBeGreaterThan(0.5);
    expect(share).toBeLessThan(0.9);
  });
});

describe('Loop subdivision', () => {
  it('has rows of weights summing to 1 and 4× the triangles', () => {
    const g = gridMesh(4);
    const level = planLoopSubdivision(g.triangles, g.positions.length / 3);
    expect(level.triangles.length).toBe(4 * g.triangles.length);
    for (const map of [level.loop, level.linear]) {
      for (let i = 0; i + 1 < map.offsets.length; i++) {
        let s = 0;
        for (let k = map.offsets[i]; k < map.offsets[i + 1]; k++) s += map.weights[k];
        expect(s).toBeCloseTo(1, 6);
      }
    }
  });

  it('keeps a plane flat and reproduces the affine layout at interior vertices of a regular grid', () => {
    const g = gridMesh(4);
    const sub = new Subdivision(g.triangles, g.positions.length / 3, 2);
    const fine = sub.apply(g.positions, 3, 'loop');
    for (let v = 0; v < fine.length / 3; v++) expect(fine[3 * v + 2]).toBe(0);
    // Interior coarse vertex (2, 2) of valence 6 with a symmetric ring stays put.
    const centre = 2 * 5 + 2;
    expect([fine[3 * centre], fine[3 * centre + 1]]).toEqual([2, 2]);
    expect(sub.vertexCount).toBe(fine.length / 3);
    expect(Math.max(...sub.triangles)).toBe(sub.vertexCount - 1);
  });

  it('smooths the canonical face: keeps landmark order, UVs exact at coarse vertices, moves vertices a little', () => {
    const face = canonicalFace();
    const sub = new Subdivision(face.triangles, FACE_VERTEX_COUNT, 1);
    const fine = sub.mesh(face);
    expect(fine.triangles.length).toBe(4 * face.triangles.length);
    expect(Array.from(fine.uvs.subarray(0, 2 * FACE_VERTEX_COUNT))).toEqual(Array.from(face.uvs));
    let maxMove = 0;
    for (let i = 0; i < FACE_VERTEX_COUNT * 3; i++)
      maxMove = Math.max(maxMove, Math.abs(fine.positions[i] - face.positions[i]));
    // The face is ~17 units wide: smoothing moves vertices by a fraction of a unit, not by the face's size.
    expect(maxMove).toBeGreaterThan(0.01);
    expect(maxMove).toBeLessThan(1.5);
  });
});
