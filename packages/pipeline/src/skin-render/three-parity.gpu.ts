// Page half of three-parity.test.ts: the exported GLB rendered by three.js (WebGL2, MeshPhysicalMaterial,
// PMREM environment, Khronos PBR Neutral) beside our renderer, same mesh, maps, environment and view.
import { KernelContext, positionBounds, readRgba8, tensorToRgba8 } from '@avatarme/kernels';
import {
  DataTexture,
  EquirectangularReflectionMapping,
  FloatType,
  LinearFilter,
  LinearSRGBColorSpace,
  Mesh,
  NeutralToneMapping,
  PerspectiveCamera,
  PMREMGenerator,
  RGBAFormat,
  Scene,
  SRGBColorSpace,
  WebGLRenderer,
} from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { HDRLoader } from 'three/addons/loaders/HDRLoader.js';
import { writeGlb } from '../export/glb.ts';
import type { TexturedMesh } from '../export/mesh.ts';
import { encodePng, type RgbaImage } from '../image/codec.ts';
import { canonicalFace } from '../mesh/face-mesh.ts';
import { vertexNormals } from '../mesh/normals.ts';
import { decodeRgbe } from './hdr.ts';
import { HDR_ENVIRONMENTS, IblEnvironment, type HdrEnvironmentName } from './ibl-environment.ts';
import { meteredExposure } from './lighting.ts';
import { SkinRenderer, type SkinMaps } from './skin-render.ts';
import { framingCamera, VIEW_YAWS, type ViewName } from './views.ts';

const MAP = 64;

/**
 * Smooth synthetic maps: a skin-tone albedo with a red gradient, a specular level from 0.1 to 0.55,
 * gentle bumps, a perceptual roughness from 0.4 (α 0.16) to 0.7 (α 0.49) across the face.
 */
function testMaps(): SkinMaps {
  const img = (f: (u: number, v: number) => number[]): RgbaImage => {
    const data = new Uint8ClampedArray(MAP * MAP * 4);
    for (let y = 0; y < MAP; y++)
      for (let x = 0; x < MAP; x++)
        data.set([...f((x + 0.5) / MAP, (y + 0.5) / MAP), 255], (y * MAP + x) * 4);
    return { width: MAP, height: MAP, data };
  };
  const normals = img((u, v) => {
    const nx = 0.15 * Math.sin(u * 12);
    const ny = 0.15 * Math.cos(v * 10);
    const nz = Math.sqrt(1 - nx * nx - ny * ny);
    return [nx, ny, nz].map((c) => Math.round((c * 0.5 + 0.5) * 255));
  });
  return {
    diffuseAlbedo: img((u, v) => [200 + 30 * u, 150 - 20 * v, 125]),
    specularAlbedo: img((u, v) => {
      const s = Math.round(255 * (0.1 + 0.45 * (1 - v) * (0.5 + 0.5 * Math.cos((u - 0.5) * 4))));
      return [s, s, s];
    }),
    diffuseNormals: normals,
    // One normal map: glTF viewers have one, so the comparison is about the BRDF and the lighting.
    specularNormals: normals,
    roughness: img((u) => {
      const r = Math.round(255 * (0.4 + 0.3 * u));
      return [r, r, r];
    }),
  };
}

function testMesh(): TexturedMesh {
  const face = canonicalFace();
  // FaceMesh's canonical face is in centimetres; the test mesh is in metres so both renderers see the
  // same numbers.
  const positions = face.positions.map((v) => v * 0.01);
  return {
    positions,
    normals: vertexNormals(positions, face.triangles),
    uvs: face.uvs,
    triangles: face.triangles,
    metresPerUnit: 1,
  };
}

export async function compareWithThree(
  device: GPUDevice,
  a: { environment: HdrEnvironmentName; view: ViewName; size: number },
) {
  const mesh = testMesh();
  const maps = testMaps();
  const hdrBytes = new Uint8Array(await (await fetch(HDR_ENVIRONMENTS[a.environment])).arrayBuffer());
  const hdr = decodeRgbe(hdrBytes, a.environment);
  const camera = framingCamera(mesh, VIEW_YAWS[a.view]);

  // Ours: no key light, no shadow, no SSS (three has none of them here).
  const ctx = new KernelContext(device);
  const env = await IblEnvironment.create(ctx, hdr, a.environment);
  const renderer = SkinRenderer.create(ctx, mesh, maps);
  const image = renderer.render({
    width: a.size,
    height: a.size,
    ...camera,
    environment: env,
    keyLight: 0,
    shadows: false,
    translucency: 0,
    background: [0, 0, 0, 0],
  });
  const packed = tensorToRgba8(ctx, image, { scale: 255 });
  image.dispose();
  const ours = await readRgba8(ctx, packed, a.size, a.size);
  ctx.pool.release(packed);
  const scale = env.scale;
  // Our automatic exposure (the face looks along +z, no environment rotation) is a viewer setting:
  // three.js gets it as its tone-mapping exposure.
  const exposure = meteredExposure(env.sh, [0, 0, 1]);
  renderer.dispose();
  env.dispose();
  ctx.dispose();

  // three.js reads the same .hdr file with its own loader: the bytes mean the same to both.
  const threeHdr = new HDRLoader().setDataType(FloatType).parse(hdrBytes.buffer as ArrayBuffer);
  let hdrMaxDiff = 0;
  for (let y = 0; y < hdr.height; y++)
    for (let x = 0; x < hdr.width; x++)
      for (let c = 0; c < 3; c++) {
        const mine = hdr.data[(y * hdr.width + x) * 4 + c];
        const theirs = (threeHdr.data as Float32Array)[(y * hdr.width + x) * 4 + c];
        hdrMaxDiff = Math.max(hdrMaxDiff, Math.abs(mine - theirs) / Math.max(mine, 1e-3));
      }

  const glb = await writeGlb(mesh, {
    diffuseAlbedo: await encodePng(maps.diffuseAlbedo),
    specularAlbedo: await encodePng(maps.specularAlbedo),
    diffuseNormals: await encodePng(maps.diffuseNormals),
    specularNormals: await encodePng(maps.specularNormals),
    roughness: await encodePng(maps.roughness!),
  });
  const gltf = await new GLTFLoader().parseAsync(
    glb.buffer.slice(glb.byteOffset, glb.byteOffset + glb.byteLength) as ArrayBuffer,
    '',
  );
  const canvas = document.createElement('canvas');
  canvas.width = a.size;
  canvas.height = a.size;
  const gl = new WebGLRenderer({ canvas, alpha: true, antialias: false, preserveDrawingBuffer: true });
  gl.setPixelRatio(1);
  gl.setSize(a.size, a.size, false);
  gl.outputColorSpace = SRGBColorSpace;
  gl.toneMapping = NeutralToneMapping;
  gl.toneMappingExposure = exposure;
  gl.setClearColor(0x000000, 0);
  // Our equirect rows start at the top; a DataTexture's first row is v = 0, the bottom: flip.
  const flipped = new Float32Array(hdr.data.length);
  for (let y = 0; y < hdr.height; y++)
    flipped.set(
      hdr.data.subarray(y * hdr.width * 4, (y + 1) * hdr.width * 4),
      (hdr.height - 1 - y) * hdr.width * 4,
    );
  const envTexture = new DataTexture(flipped, hdr.width, hdr.height, RGBAFormat, FloatType);
  envTexture.mapping = EquirectangularReflectionMapping;
  envTexture.colorSpace = LinearSRGBColorSpace;
  envTexture.magFilter = LinearFilter;
  envTexture.minFilter = LinearFilter;
  envTexture.needsUpdate = true;
  const pmrem = new PMREMGenerator(gl);
  const scene = new Scene();
  scene.environment = pmrem.fromEquirectangular(envTexture).texture;
  scene.environmentIntensity = scale;
  scene.add(gltf.scene);
  let materials = 0;
  gltf.scene.traverse((o) => {
    if ((o as Mesh).isMesh) materials++;
  });
  const cam = new PerspectiveCamera(30, 1, 0.001, 100);
  cam.position.set(...camera.eye);
  const { centre, radius } = positionBounds(mesh.positions);
  cam.near = radius / 50;
  cam.far = radius * 50;
  cam.lookAt(...centre);
  cam.updateProjectionMatrix();
  gl.render(scene, cam);
  const raw = new Uint8Array(a.size * a.size * 4);
  const glc = gl.getContext();
  glc.readPixels(0, 0, a.size, a.size, glc.RGBA, glc.UNSIGNED_BYTE, raw);
  const theirs = new Uint8ClampedArray(raw.length);
  for (let y = 0; y < a.size; y++)
    theirs.set(raw.subarray((a.size - 1 - y) * a.size * 4, (a.size - y) * a.size * 4), y * a.size * 4);
  pmrem.dispose();
  envTexture.dispose();
  gl.dispose();
  return { ours, theirs, hdrMaxDiff, materials, exposure };
}
