import { Document, WebIO } from '@gltf-transform/core';
import { KHRMaterialsSpecular } from '@gltf-transform/extensions';
import type { RgbaImage } from '../image/codec.ts';
import { GLTF_SPECULAR_COLOR_FACTOR, SKIN_ROUGHNESS } from '../skin-render/skin-brdf.ts';
import { checkMesh, type TexturedMesh } from './mesh.ts';
import { decodePng, encodeGreyAlphaPng } from './png.ts';
import { computeTangents } from './tangents.ts';

export interface GlbMaps {
  diffuseAlbedo: Uint8Array; // PNG
  /** PNG or decoded image; red channel = specular albedo. */
  specularAlbedo: Uint8Array | RgbaImage;
  diffuseNormals: Uint8Array; // PNG, tangent space, OpenGL convention
  specularNormals: Uint8Array; // PNG, tangent space, OpenGL convention
  /** PNG, perceptual roughness √α in green (grey is fine): metallicRoughnessTexture; absent: one value. */
  roughness?: Uint8Array;
}

/**
 * Binary glTF: the mesh with diffuse albedo as base colour, the specular normals as normal map, the
 * specular level through KHR_materials_specular with the semantics of our renderer (skin-brdf.ts:
 * specular albedo in specularTexture's alpha, white colour scaled by GLTF_SPECULAR_COLOR_FACTOR, so
 * F0 = 0.028 · a_s / 0.25 in any glTF viewer), the roughness map as metallicRoughnessTexture (G;
 * metallic 0 by its factor) or the skin's one GGX roughness as roughnessFactor, and the
 * diffuse normals as a texture named in the material's extras (glTF has no slot for a second normal
 * map; our renderer and the demo read it there).
 */
export async function writeGlb(
  mesh: TexturedMesh,
  maps: GlbMaps,
  name = 'avatarme face',
): Promise<Uint8Array> {
  checkMesh(mesh);
  const doc = new Document();
  const buffer = doc.createBuffer();
  const scale = mesh.metresPerUnit;
  const positions = scale === 1 ? mesh.positions : mesh.positions.map((v) => v * scale);
  const prim = doc
    .createPrimitive()
    .setAttribute(
      'POSITION',
      doc.createAccessor('position').setType('VEC3').setArray(positions).setBuffer(buffer),
    )
    .setAttribute('TEXCOORD_0', doc.createAccessor('uv').setType('VEC2').setArray(mesh.uvs).setBuffer(buffer))
    .setIndices(doc.createAccessor('indices').setType('SCALAR').setArray(mesh.triangles).setBuffer(buffer));
  if (mesh.normals) {
    // Normal maps need a tangent frame; providing it keeps every viewer on the same one.
    const tangents = computeTangents(mesh.positions, mesh.normals, mesh.uvs, mesh.triangles);
    prim
      .setAttribute(
        'NORMAL',
        doc.createAccessor('normal').setType('VEC3').setArray(mesh.normals).setBuffer(buffer),
      )
      .setAttribute(
        'TANGENT',
        doc.createAccessor('tangent').setType('VEC4').setArray(tangents).setBuffer(buffer),
      );
  }
  const texture = (label: string, png: Uint8Array) =>
    doc.createTexture(label).setImage(png).setMimeType('image/png').setURI(`${label}.png`);
  const diffuseNormals = texture('diffuse_normals', maps.diffuseNormals);
  const specularExt = doc.createExtension(KHRMaterialsSpecular);
  const specular = specularExt
    .createSpecular()
    .setSpecularFactor(1)
    .setSpecularColorFactor([
      GLTF_SPECULAR_COLOR_FACTOR,
      GLTF_SPECULAR_COLOR_FACTOR,
      GLTF_SPECULAR_COLOR_FACTOR,
    ])
    .setSpecularTexture(texture('specular_strength', await specularStrengthPng(maps.specularAlbedo)));
  const material = doc
    .createMaterial('skin')
    .setBaseColorTexture(texture('diffuse_albedo', maps.diffuseAlbedo))
    .setNormalTexture(texture('specular_normals', maps.specularNormals))
    .setMetallicFactor(0)
    .setRoughnessFactor(maps.roughness ? 1 : SKIN_ROUGHNESS)
    .setExtension('KHR_materials_specular', specular)
    .setExtras({ avatarme: { diffuseNormalsTexture: diffuseNormals.getName() } });
  if (maps.roughness) material.setMetallicRoughnessTexture(texture('roughness', maps.roughness));
  prim.setMaterial(material);
  const mesh3d = doc.createMesh(name).addPrimitive(prim);
  const node = doc.createNode(name).setMesh(mesh3d);
  doc.createScene('scene').addChild(node);
  return new WebIO().registerExtensions([KHRMaterialsSpecular]).writeBinary(doc);
}

/** White with the specular albedo (red channel, linear) in alpha, as specularTexture reads it. */
async function specularStrengthPng(map: Uint8Array | RgbaImage): Promise<Uint8Array> {
  const img = map instanceof Uint8Array ? await decodePng(map, 'specular albedo') : map;
  return encodeGreyAlphaPng(
    img.width,
    img.height,
    () => 255,
    (i) => img.data[i * 4],
  );
}
