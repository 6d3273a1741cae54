import { describe, expect, it } from 'vitest';
// @ts-expect-error gltf-validator ships no types
import validator from 'gltf-validator';
import { writeGlb } from './glb.ts';
import { writeMtl, writeObj } from './obj.ts';
import type { TexturedMesh } from './mesh.ts';
import { computeTangents } from './tangents.ts';

// A 1×1 PNG (opaque grey), enough for structure checks.
const PNG_1x1 = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);

const quad: TexturedMesh = {
  positions: new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]),
  normals: new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]),
  uvs: new Float32Array([0, 1, 1, 1, 1, 0, 0, 0]),
  triangles: new Uint32Array([0, 1, 2, 0, 2, 3]),
  metresPerUnit: 0.01,
};

describe('OBJ + MTL', () => {
  it('writes 1-based faces, flipped v and the material maps', () => {
    const obj = writeObj(quad, 'mesh.mtl');
    expect(obj).toContain('mtllib mesh.mtl');
    expect(obj.match(/^v /gm)).toHaveLength(4);
    expect(obj).toContain('vt 0.000000 0.000000'); // image-space v = 1 -> OBJ v = 0
    expect(obj).toContain('f 1/1/1 2/2/2 3/3/3');
    const mtl = writeMtl({
      diffuseAlbedo: 'a.png',
      specularAlbedo: 's.png',
      diffuseNormals: 'dn.png',
      specularNormals: 'sn.png',
    });
    expect(mtl).toMatch(/map_Kd a.png/);
    expect(mtl).toMatch(/map_Ks s.png/);
    expect(mtl).toMatch(/norm sn.png/);
  });
  it('rejects inconsistent meshes', () => {
    expect(() => writeObj({ ...quad, triangles: new Uint32Array([0, 1, 9]) }, 'm.mtl')).toThrow(
      /index 9 past the 4 vertices/,
    );
  });
});

describe('GLB', () => {
  it('passes the Khronos glTF validator with no errors', async () => {
    const glb = await writeGlb(quad, {
      diffuseAlbedo: PNG_1x1,
      specularAlbedo: PNG_1x1,
      diffuseNormals: PNG_1x1,
      specularNormals: PNG_1x1,
    });
    expect(new TextDecoder().decode(glb.subarray(0, 4))).toBe('glTF');
    const report = await validator.validateBytes(glb);
    expect(report.issues.numErrors, JSON.stringify(report.issues.messages.slice(0, 5))).toBe(0);
    expect(report.info.extensionsUsed).toContain('KHR_materials_specular');
    expect(report.issues.numWarnings, JSON.stringify(report.issues.messages.slice(0, 5))).toBe(0);
    const images = report.info.resources.filter((r: { storage: string }) => r.storage === 'buffer-view');
    expect(images).toHaveLength(4);
  });
});

describe('tangents', () => {
  it('follow +u and give the handedness of glTF sample models for an upright quad', () => {
    const t = computeTangents(quad.positions, quad.normals!, quad.uvs, quad.triangles);
    for (let v = 0; v < 4; v++) {
      expect([...t.subarray(v * 4, v * 4 + 4)].map((x) => Math.round(x * 1e6) / 1e6)).toEqual([1, 0, 0, 1]);
    }
  });
  it('flip handedness for a mirrored mapping', () => {
    const mirrored = new Float32Array([1, 1, 0, 1, 0, 0, 1, 0]);
    const t = computeTangents(quad.positions, quad.normals!, mirrored, quad.triangles);
    expect(t[0]).toBeCloseTo(-1);
    expect(t[3]).toBe(-1);
  });
});
