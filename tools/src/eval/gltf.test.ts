import { Document, WebIO } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import { faceRegion, readSubjectGlb, subjectImages } from './gltf.ts';
import type { GeneratedSubject } from './subject.ts';

/** A one-triangle glTF binary with or without UVs and a base colour texture. */
async function glb(opts: { uvs: boolean; texture: boolean }): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const prim = doc.createPrimitive().setAttribute(
    'POSITION',
    doc
      .createAccessor()
      .setType('VEC3')
      .setArray(Float32Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0]))
      .setBuffer(buffer),
  );
  if (opts.uvs)
    prim.setAttribute(
      'TEXCOORD_0',
      doc
        .createAccessor()
        .setType('VEC2')
        .setArray(Float32Array.from([0, 0, 1, 0, 0, 1]))
        .setBuffer(buffer),
    );
  const material = doc.createMaterial('m');
  // A 1×1 PNG is enough: reading stops at the missing UVs before any image is decoded.
  if (opts.texture)
    material.setBaseColorTexture(
      doc
        .createTexture('t')
        .setImage(new Uint8Array([137, 80, 78, 71]))
        .setMimeType('image/png'),
    );
  prim.setMaterial(material);
  doc.createScene().addChild(doc.createNode().setMesh(doc.createMesh().addPrimitive(prim)));
  return new WebIO().writeBinary(doc);
}

describe('readSubjectGlb', () => {
  it('names the file and the missing UVs', async () => {
    await expect(readSubjectGlb(await glb({ uvs: false, texture: true }), 'head.glb')).rejects.toThrow(
      /^head\.glb: the textured primitive has no TEXCOORD_0 \(UVs\)$/,
    );
  });
  it('names the file and the missing diffuse albedo', async () => {
    await expect(readSubjectGlb(await glb({ uvs: true, texture: false }), 'head.glb')).rejects.toThrow(
      /^head\.glb: no primitive has a material with a baseColorTexture/,
    );
  });
  it('names a file that is not glTF', async () => {
    await expect(readSubjectGlb(new Uint8Array([1, 2, 3, 4]), 'x.glb')).rejects.toThrow(
      /^x\.glb: not a readable glTF binary/,
    );
  });
});

describe('faceRegion', () => {
  it('keeps front-facing points near the nose tip, not the back of the head or far sides', () => {
    // nose tip, a cheek point, a point 10 cm to the side, a back-facing point behind the tip
    const positions = Float32Array.from([0, 0, 0.1, 0.04, 0.02, 0.08, 0.1, 0, 0.05, 0, 0, 0.05]);
    const normals = Float32Array.from([0, 0, 1, 0.3, 0, 0.95, 1, 0, 0, 0, 0, -1]);
    expect(Array.from(faceRegion(positions, normals))).toEqual([1, 1, 0, 0]);
  });
});

describe('subjectImages', () => {
  it('stores glTF perceptual roughness √α in green, as the renderer and glTF viewers read it', () => {
    const alpha = Float32Array.from([0.09, 0.25, 0.36, 0.49]);
    const zeros3 = new Float32Array(12);
    const s = {
      maps: {
        size: 2,
        diffuseAlbedo: zeros3,
        specular: new Float32Array(4),
        roughness: alpha,
        specularNormals: zeros3,
        diffuseNormals: zeros3,
      },
    } as unknown as GeneratedSubject;
    const green = [...subjectImages(s).metallicRoughness.data].filter((_, i) => i % 4 === 1);
    expect(green).toEqual([0.3, 0.5, 0.6, 0.7].map((r) => Math.round(r * 255)));
  });
});
