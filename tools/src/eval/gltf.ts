/**
 * Subjects as glTF 2.0 binaries: mesh with UVs, baseColorTexture = diffuse albedo, KHR_materials_specular
 * strength (specularTexture, alpha; also in RGB), roughness (metallicRoughnessTexture, green),
 * normalTexture = tangent-space specular normals (OpenGL), diffuse normals in the material's extras as
 * the product's own export does. Runs in the page (PNG codecs are the browser's).
 */
import { Document, WebIO, type Primitive, type Texture } from '@gltf-transform/core';
import { KHRMaterialsSpecular, type Specular } from '@gltf-transform/extensions';
import type { TexturedMesh } from '@avatarme/pipeline/export/mesh.ts';
import { decodeImage, encodePng, type RgbaImage } from '@avatarme/pipeline/image/codec.ts';
import { vertexNormals } from '@avatarme/pipeline/mesh/normals.ts';
import type { SkinMaps } from '@avatarme/pipeline/skin-render/skin-render.ts';
import type { GeneratedSubject } from './subject.ts';

const toSrgb = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

function image(size: number, fill: (i: number) => number[]): RgbaImage {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const v = fill(i);
    for (let k = 0; k < 4; k++) data[4 * i + k] = Math.round((v[k] ?? 1) * 255);
  }
  return { width: size, height: size, data };
}

/** The 8-bit maps of a generated subject, as the glTF file stores them. */
export function subjectImages(s: GeneratedSubject) {
  const m = s.maps;
  const enc = (n: Float32Array, i: number) => [
    0.5 * n[3 * i] + 0.5,
    0.5 * n[3 * i + 1] + 0.5,
    0.5 * n[3 * i + 2] + 0.5,
    1,
  ];
  return {
    diffuseAlbedo: image(m.size, (i) => [0, 1, 2].map((k) => toSrgb(m.diffuseAlbedo[3 * i + k]))),
    specular: image(m.size, (i) => [m.specular[i], m.specular[i], m.specular[i], m.specular[i]]),
    // glTF stores perceptual roughness, √α.
    metallicRoughness: image(m.size, (i) => [0, Math.sqrt(m.roughness[i]), 0, 1]),
    specularNormals: image(m.size, (i) => enc(m.specularNormals, i)),
    diffuseNormals: image(m.size, (i) => enc(m.diffuseNormals, i)),
  };
}

export async function writeSubjectGlb(s: GeneratedSubject): Promise<Uint8Array> {
  const img = subjectImages(s);
  const doc = new Document();
  const buffer = doc.createBuffer();
  const acc = (name: string, type: 'VEC2' | 'VEC3' | 'SCALAR', array: Float32Array | Uint32Array) =>
    doc.createAccessor(name).setType(type).setArray(array).setBuffer(buffer);
  const prim = doc
    .createPrimitive()
    .setAttribute('POSITION', acc('position', 'VEC3', s.mesh.positions))
    .setAttribute('NORMAL', acc('normal', 'VEC3', s.mesh.normals!))
    .setAttribute('TEXCOORD_0', acc('uv', 'VEC2', s.mesh.uvs))
    .setIndices(acc('indices', 'SCALAR', s.mesh.triangles));
  const tex = async (label: string, im: RgbaImage) =>
    doc
      .createTexture(label)
      .setImage(await encodePng(im))
      .setMimeType('image/png')
      .setURI(`${label}.png`);
  const diffuseNormals = await tex('diffuse_normals', img.diffuseNormals);
  const specular = doc
    .createExtension(KHRMaterialsSpecular)
    .createSpecular()
    .setSpecularFactor(1)
    .setSpecularTexture(await tex('specular', img.specular));
  const material = doc
    .createMaterial('skin')
    .setBaseColorTexture(await tex('diffuse_albedo', img.diffuseAlbedo))
    .setNormalTexture(await tex('specular_normals', img.specularNormals))
    .setMetallicRoughnessTexture(await tex('roughness', img.metallicRoughness))
    .setMetallicFactor(0)
    .setRoughnessFactor(1)
    .setExtension('KHR_materials_specular', specular)
    .setExtras({ avatarme: { diffuseNormalsTexture: diffuseNormals.getName() }, avatarmeEval: s.meta });
  prim.setMaterial(material);
  doc
    .createScene('scene')
    .addChild(doc.createNode(s.name).setMesh(doc.createMesh(s.name).addPrimitive(prim)));
  return new WebIO().registerExtensions([KHRMaterialsSpecular]).writeBinary(doc);
}

/** A subject ready to render and score: its mesh (metres), renderer maps and face region. */
export interface Subject {
  name: string;
  mesh: TexturedMesh;
  maps: SkinMaps;
  /** 1 per vertex of the face region (faceRegion), 0 elsewhere. */
  faceVertices: Float32Array;
  meta: Record<string, unknown>;
}

async function textureImage(file: string, what: string, t: Texture | null): Promise<RgbaImage | undefined> {
  if (!t) return undefined;
  const bytes = t.getImage();
  if (!bytes) throw new Error(`${file}: the ${what} texture has no embedded image`);
  return decodeImage(bytes, `${file} (${what})`);
}

function flat(v: number[]): RgbaImage {
  return { width: 1, height: 1, data: Uint8ClampedArray.from(v.map((c) => Math.round(c * 255))) };
}

/**
 * The face region: vertices facing the front (normal z > 0.2) within a box around the nose tip
 * (the most forward point): 6.5 cm either side, 7.5 cm below to 8.5 cm above, 7 cm deep — brows,
 * eyes, nose, cheeks, lips and chin of an adult head (Farkas, "Anthropometry of the Head and Face",
 * 1994: face height n–gn ≈ 12 cm, zygion width ≈ 13–14 cm). Any glTF head facing +Z (glTF's front) in
 * metres gets the same region.
 */
export function faceRegion(positions: Float32Array, normals: Float32Array): Float32Array {
  let tip = 0;
  for (let i = 1; i < positions.length / 3; i++) if (positions[3 * i + 2] > positions[3 * tip + 2]) tip = i;
  const [tx, ty, tz] = [positions[3 * tip], positions[3 * tip + 1], positions[3 * tip + 2]];
  return Float32Array.from({ length: positions.length / 3 }, (_, i) => {
    const [x, y, z] = [positions[3 * i] - tx, positions[3 * i + 1] - ty, positions[3 * i + 2] - tz];
    return normals[3 * i + 2] > 0.2 && Math.abs(x) < 0.065 && y > -0.075 && y < 0.085 && z > -0.07 ? 1 : 0;
  });
}

/** Reads any glTF 2.0 head as described above; one-line errors name the file and what is missing. */
export async function readSubjectGlb(bytes: Uint8Array, file: string): Promise<Subject> {
  let doc: Document;
  try {
    doc = await new WebIO().registerExtensions([KHRMaterialsSpecular]).readBinary(bytes);
  } catch (e) {
    throw new Error(`${file}: not a readable glTF binary (${(e as Error).message})`, { cause: e });
  }
  const prims: Primitive[] = doc
    .getRoot()
    .listMeshes()
    .flatMap((m) => m.listPrimitives());
  const prim = prims.find((p) => p.getMaterial()?.getBaseColorTexture());
  if (!prims.length) throw new Error(`${file}: no mesh`);
  if (!prim)
    throw new Error(`${file}: no primitive has a material with a baseColorTexture (the diffuse albedo)`);
  const pos = prim.getAttribute('POSITION')?.getArray();
  const uv = prim.getAttribute('TEXCOORD_0')?.getArray();
  if (!pos) throw new Error(`${file}: the textured primitive has no POSITION`);
  if (!uv) throw new Error(`${file}: the textured primitive has no TEXCOORD_0 (UVs)`);
  const positions = Float32Array.from(pos);
  const triangles = prim.getIndices()
    ? Uint32Array.from(prim.getIndices()!.getArray()!)
    : Uint32Array.from({ length: positions.length / 3 }, (_, i) => i);
  const normalArr = prim.getAttribute('NORMAL')?.getArray();
  const normals = normalArr ? Float32Array.from(normalArr) : vertexNormals(positions, triangles);
  const material = prim.getMaterial()!;
  const baseColor = (await textureImage(file, 'baseColor', material.getBaseColorTexture()))!;
  const normalTex = await textureImage(file, 'normal', material.getNormalTexture());
  const spec = material.getExtension<Specular>('KHR_materials_specular');
  const specTex = await textureImage(file, 'specular', spec?.getSpecularTexture() ?? null);
  const factor = spec?.getSpecularFactor() ?? 1;
  // The renderer reads specular strength from red: move the KHR alpha there.
  const specular = specTex
    ? {
        ...specTex,
        data: Uint8ClampedArray.from(specTex.data, (_, i) => specTex.data[i - (i % 4) + 3] * factor),
      }
    : flat([0.3 * factor, 0, 0, 1]);
  const extras = material.getExtras() as {
    avatarme?: { diffuseNormalsTexture?: string };
    avatarmeEval?: Record<string, unknown>;
  };
  const dnName = extras.avatarme?.diffuseNormalsTexture;
  const dnTex = dnName
    ? (doc
        .getRoot()
        .listTextures()
        .find((t) => t.getName() === dnName) ?? null)
    : null;
  const diffuseNormals = (await textureImage(file, 'diffuse normals', dnTex)) ?? normalTex;
  const mr = await textureImage(file, 'metallicRoughness', material.getMetallicRoughnessTexture());
  const roughnessFactor = material.getRoughnessFactor();
  // The renderer reads perceptual roughness from green, as glTF does; the factor scales it.
  const roughness = mr
    ? {
        ...mr,
        data: Uint8ClampedArray.from(mr.data, (_, i) => mr.data[i - (i % 4) + 1] * roughnessFactor),
      }
    : flat([roughnessFactor, roughnessFactor, roughnessFactor, 1]);
  const flatNormal = flat([0.5, 0.5, 1, 1]);
  return {
    name: file.replace(/^.*\//, '').replace(/\.glb$/i, ''),
    mesh: { positions, normals, uvs: Float32Array.from(uv), triangles, metresPerUnit: 1 },
    maps: {
      diffuseAlbedo: baseColor,
      specularAlbedo: specular,
      diffuseNormals: diffuseNormals ?? flatNormal,
      specularNormals: normalTex ?? flatNormal,
      roughness,
    },
    faceVertices: faceRegion(positions, normals),
    meta: extras.avatarmeEval ?? {},
  };
}
