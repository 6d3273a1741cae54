import { WebIO, type Texture } from '@gltf-transform/core';
import { KHRMaterialsSpecular, type Specular } from '@gltf-transform/extensions';
import type { RgbaImage } from '../image/codec.ts';
import type { SkinMaps } from '../skin-render/skin-render.ts';
import { checkMesh, type TexturedMesh } from './mesh.ts';
import { decodePng } from './png.ts';

export interface AvatarGlb {
  /** Positions in metres (metresPerUnit 1), as the file stores them. */
  mesh: TexturedMesh;
  maps: SkinMaps;
}

/**
 * Reads back what writeGlb wrote — the first primitive with its normals, UVs and the skin maps —
 * so a reconstruction can be rendered again from its avatar.glb alone. Throws one line naming the
 * file and what is missing for any other glTF.
 */
export async function readAvatarGlb(bytes: Uint8Array, file = 'avatar.glb'): Promise<AvatarGlb> {
  let doc;
  try {
    doc = await new WebIO().registerExtensions([KHRMaterialsSpecular]).readBinary(bytes);
  } catch (e) {
    throw new Error(`${file}: not a binary glTF (${(e as Error).message.split('\n')[0]})`, { cause: e });
  }
  const prim = doc.getRoot().listMeshes()[0]?.listPrimitives()[0];
  if (!prim) throw new Error(`${file}: no mesh`);
  const array = (semantic: string) => {
    const a = prim.getAttribute(semantic)?.getArray();
    if (!a) throw new Error(`${file}: the mesh has no ${semantic}`);
    return new Float32Array(a);
  };
  const indices = prim.getIndices()?.getArray();
  if (!indices) throw new Error(`${file}: the mesh has no indices`);
  const mesh: TexturedMesh = {
    positions: array('POSITION'),
    normals: array('NORMAL'),
    uvs: array('TEXCOORD_0'),
    triangles: new Uint32Array(indices),
    metresPerUnit: 1,
  };
  try {
    checkMesh(mesh);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
  }
  const material = prim.getMaterial();
  if (!material) throw new Error(`${file}: the mesh has no material`);
  const decode = async (texture: Texture | null | undefined, what: string): Promise<RgbaImage> => {
    const png = texture?.getImage();
    if (!png) throw new Error(`${file}: the material has no ${what} texture`);
    return decodePng(png, `${file} ${what}`);
  };
  const specularNormals = await decode(material.getNormalTexture(), 'normal');
  const extras = material.getExtras() as { avatarme?: { diffuseNormalsTexture?: string } };
  const diffuseName = extras.avatarme?.diffuseNormalsTexture;
  const diffuseTexture = diffuseName
    ? doc
        .getRoot()
        .listTextures()
        .find((t) => t.getName() === diffuseName)
    : undefined;
  // Another tool's glTF has one normal map: both lobes use it.
  const diffuseNormals = diffuseTexture ? await decode(diffuseTexture, 'diffuse normals') : specularNormals;
  // writeGlb stores the specular albedo in the specular texture's alpha; the renderer reads red.
  const specular = material.getExtension<Specular>('KHR_materials_specular');
  const strength = await decode(specular?.getSpecularTexture(), 'KHR_materials_specular');
  const specularAlbedo: RgbaImage = { ...strength, data: new Uint8ClampedArray(strength.data) };
  for (let i = 0; i < specularAlbedo.data.length; i += 4) {
    const a = strength.data[i + 3];
    specularAlbedo.data.set([a, a, a, 255], i);
  }
  const roughnessTexture = material.getMetallicRoughnessTexture();
  return {
    mesh,
    maps: {
      diffuseAlbedo: await decode(material.getBaseColorTexture(), 'base colour'),
      specularAlbedo,
      diffuseNormals,
      specularNormals,
      ...(roughnessTexture ? { roughness: await decode(roughnessTexture, 'roughness') } : {}),
    },
  };
}
