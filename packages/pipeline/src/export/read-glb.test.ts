import { describe, expect, it } from 'vitest';
import { Document, WebIO } from '@gltf-transform/core';
import { writeGlb } from './glb.ts';
import type { TexturedMesh } from './mesh.ts';
import { encodeGreyAlphaPng } from './png.ts';
import { readAvatarGlb } from './read-glb.ts';

const quad: TexturedMesh = {
  positions: new Float32Array([0, 0, 0, 10, 0, 0, 10, 10, 0, 0, 10, 0]),
  normals: new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]),
  uvs: new Float32Array([0, 1, 1, 1, 1, 0, 0, 0]),
  triangles: new Uint32Array([0, 1, 2, 0, 2, 3]),
  metresPerUnit: 0.01,
};

// 2×1 grey images told apart by their grey level.
const greyPng = (level: number) =>
  encodeGreyAlphaPng(
    2,
    1,
    (i) => level + i,
    () => 255,
  );

describe('readAvatarGlb', () => {
  it('reads back writeGlb: mesh in metres and every skin map, specular albedo in red', async () => {
    const glb = await writeGlb(quad, {
      diffuseAlbedo: await greyPng(10),
      specularAlbedo: { width: 2, height: 1, data: new Uint8ClampedArray([64, 0, 0, 255, 200, 0, 0, 255]) },
      diffuseNormals: await greyPng(30),
      specularNormals: await greyPng(40),
      roughness: await greyPng(50),
    });
    const { mesh, maps } = await readAvatarGlb(glb);
    expect(mesh.metresPerUnit).toBe(1);
    expect([...mesh.positions]).toEqual([...quad.positions].map((v) => Math.fround(v * 0.01)));
    expect([...mesh.normals!]).toEqual([...quad.normals!]);
    expect([...mesh.uvs]).toEqual([...quad.uvs]);
    expect([...mesh.triangles]).toEqual([...quad.triangles]);
    const red = (img: { data: Uint8ClampedArray }) => [img.data[0], img.data[4]];
    expect(red(maps.diffuseAlbedo)).toEqual([10, 11]);
    expect(red(maps.specularAlbedo)).toEqual([64, 200]);
    expect(red(maps.diffuseNormals)).toEqual([30, 31]);
    expect(red(maps.specularNormals)).toEqual([40, 41]);
    expect(red(maps.roughness!)).toEqual([50, 51]);
  });

  it('says in one line what is missing from another glTF', async () => {
    await expect(readAvatarGlb(new Uint8Array([1, 2, 3, 4]), 'x.glb')).rejects.toThrow(
      /^x.glb: not a binary glTF/,
    );
    const doc = new Document();
    doc.createScene('empty');
    const empty = await new WebIO().writeBinary(doc);
    await expect(readAvatarGlb(empty, 'empty.glb')).rejects.toThrow('empty.glb: no mesh');
  });
});
