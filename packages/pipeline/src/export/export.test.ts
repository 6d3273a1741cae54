import { describe, expect, it } from 'vitest';
// @ts-expect-error gltf-validator ships no types
import validator from 'gltf-validator';
import { WebIO } from '@gltf-transform/core';
import { KHRMaterialsSpecular, type Specular } from '@gltf-transform/extensions';
import { writeGlb } from './glb.ts';
import { decodePng, encodeGreyAlphaPng } from './png.ts';
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
    // map_Bump would make three.js's MTLLoader apply the normal map a second time, as a height map.
    expect(mtl).not.toMatch(/map_Bump|bump/);
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
      roughness: PNG_1x1,
    });
    expect(new TextDecoder().decode(glb.subarray(0, 4))).toBe('glTF');
    const report = await validator.validateBytes(glb);
    expect(report.issues.numErrors, JSON.stringify(report.issues.messages.slice(0, 5))).toBe(0);
    expect(report.info.extensionsUsed).toContain('KHR_materials_specular');
    expect(report.issues.numWarnings, JSON.stringify(report.issues.messages.slice(0, 5))).toBe(0);
    const images = report.info.resources.filter((r: { storage: string }) => r.storage === 'buffer-view');
    expect(images).toHaveLength(5);
  });

  it('puts the roughness map in metallicRoughnessTexture (roughness factor 1, metallic 0)', async () => {
    const glb = await writeGlb(quad, {
      diffuseAlbedo: PNG_1x1,
      specularAlbedo: PNG_1x1,
      diffuseNormals: PNG_1x1,
      specularNormals: PNG_1x1,
      roughness: PNG_1x1,
    });
    const doc = await new WebIO().registerExtensions([KHRMaterialsSpecular]).readBinary(glb);
    const material = doc.getRoot().listMaterials()[0];
    // glTF: roughness = roughnessFactor · G, metallic = metallicFactor · B.
    expect(material.getMetallicRoughnessTexture()?.getImage()).toEqual(PNG_1x1);
    expect(material.getRoughnessFactor()).toBe(1);
    expect(material.getMetallicFactor()).toBe(0);
  });

  it('says F0 = 0.028 · a_s / 0.25 through KHR_materials_specular (strength in alpha, white colour)', async () => {
    // A 2×1 specular albedo map: 64 (the skin reference 0.25) and 255.
    const specularAlbedo = {
      width: 2,
      height: 1,
      data: new Uint8ClampedArray([64, 64, 64, 255, 255, 0, 0, 255]),
    };
    const glb = await writeGlb(quad, {
      diffuseAlbedo: PNG_1x1,
      specularAlbedo,
      diffuseNormals: PNG_1x1,
      specularNormals: PNG_1x1,
    });
    const report = await validator.validateBytes(glb);
    expect(report.issues.numErrors + report.issues.numWarnings, JSON.stringify(report.issues.messages)).toBe(
      0,
    );
    const doc = await new WebIO().registerExtensions([KHRMaterialsSpecular]).readBinary(glb);
    const material = doc.getRoot().listMaterials()[0];
    const spec = material.getExtension<Specular>('KHR_materials_specular')!;
    expect(spec.getSpecularColorTexture()).toBeNull();
    expect(spec.getSpecularFactor()).toBe(1);
    const colour = spec.getSpecularColorFactor();
    expect(colour[0]).toBe(colour[1]);
    expect(colour[1]).toBe(colour[2]);
    const strength = await decodePng(spec.getSpecularTexture()!.getImage()!);
    expect([...strength.data]).toEqual([255, 255, 255, 64, 255, 255, 255, 255]);
    // glTF's F0 for a dielectric: 0.04 · colour · specularFactor · alpha.
    const f0 = (alpha: number) => 0.04 * colour[0] * spec.getSpecularFactor() * (alpha / 255);
    expect(f0(64)).toBeCloseTo((0.028 * 64) / 255 / 0.25, 6);
    expect(f0(64)).toBeGreaterThan(0.027);
    expect(f0(64)).toBeLessThan(0.029);
    expect(material.getRoughnessFactor()).toBeCloseTo(Math.sqrt(0.3), 6);
    expect(material.getExtras()).toEqual({ avatarme: { diffuseNormalsTexture: 'diffuse_normals' } });
  });
});

describe('PNG codec', () => {
  it('reads back its own grey + alpha encoding and an RGB PNG from another encoder', async () => {
    const png = await encodeGreyAlphaPng(
      3,
      2,
      (i) => i * 40,
      (i) => 255 - i * 10,
    );
    const img = await decodePng(png);
    expect([img.width, img.height]).toEqual([3, 2]);
    for (let i = 0; i < 6; i++)
      expect([...img.data.subarray(i * 4, i * 4 + 4)]).toEqual([i * 40, i * 40, i * 40, 255 - i * 10]);
    const grey = await decodePng(PNG_1x1);
    expect([grey.width, grey.height]).toEqual([1, 1]);
    expect(grey.data[3]).toBe(255);
  });
  it('rejects what is not a PNG', async () => {
    await expect(decodePng(new Uint8Array([1, 2, 3]), 'x.png')).rejects.toThrow(/x.png: not a PNG/);
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
