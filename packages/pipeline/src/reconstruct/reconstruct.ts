import { KernelContext, Tensor, gaussianBlur, resize } from '@avatarme/kernels';
import { writeGlb } from '../export/glb.ts';
import type { TexturedMesh } from '../export/mesh.ts';
import { writeMtl, writeObj } from '../export/obj.ts';
import {
  detectFaces,
  faceDescriptor,
  descriptorSimilarity,
  faceLandmarks,
  FaceModels,
  NoFaceError,
  uploadFaceImage,
} from '../face/index.ts';
import { fitFace } from '../fit/face-fit.ts';
import { encodePng, type RgbaImage } from '../image/codec.ts';
import { loadReflectanceNetworks } from '@avatarme/nets/pix2pixhd/loader.ts';
import { REFLECTANCE_MAPS, type ReflectanceMap } from '@avatarme/nets/pix2pixhd/avatarme.ts';
import {
  analyticReflectance,
  normaliseShading,
  type AnalyticInputs,
  type ReflectanceTensors,
} from '../reflectance/analytic.ts';
import { lookAt, multiply, perspective } from '../skin-render/math.ts';
import { SkinRenderer } from '../skin-render/skin-render.ts';
import { unwrapFace } from '../unwrap/unwrap.ts';
import { renderOverlay } from '../render/overlay.ts';
import { faceSurface, headSurface } from './surface.ts';
import { tensorToImage } from './maps.ts';
import { StageRunner } from './stages.ts';
import { upsampleTexture } from './upsample.ts';
import { loadPhoto } from './photo.ts';
import { runReflectanceNetworks } from './networks.ts';
import type { ReflectanceTilePlan } from './reflectance-tiles.ts';
import type {
  ReconstructOptions,
  ReconstructionMaps,
  ReconstructionResult,
  ReflectanceBackend,
} from './types.ts';

/**
 * The whole reconstruction on one GPUDevice: detect → landmarks → fit → unwrap → upsample →
 * reflectance → export. Cancelling through `signal` stops between steps; every GPU buffer made here
 * is released before returning or throwing.
 */
export async function reconstruct(
  device: GPUDevice,
  photo: Uint8Array | RgbaImage,
  options: ReconstructOptions = {},
): Promise<ReconstructionResult> {
  const name = options.name ?? 'image';
  const uvSize = options.uvSize ?? 256;
  const upscale = options.upscale ?? 1;
  const stages = new StageRunner(options);
  const ctx = new KernelContext(device);
  const owned: { dispose(): void }[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const keep = <T extends { dispose(): void }>(t: T): T => {
    owned.push(t);
    return t;
  };
  try {
    stages.begin('detect', 'decoding the photo');
    const image = await loadPhoto(photo, name);
    const [srcW, srcH] = [image.sourceWidth, image.sourceHeight];
    const models = new FaceModels(ctx, options.assets?.humanModels);
    cleanups.push(() => models.dispose());
    const faceImage = uploadFaceImage(ctx, image);
    owned.push(faceImage.tensor);
    stages.report(0.3, 'finding faces');
    const faces = await detectFaces(models, faceImage);
    if (!faces.length) throw new NoFaceError(name);
    const face = faces[0];

    stages.begin('landmarks', `${faces.length} face(s); 468 landmarks of the largest`);
    const marks = await faceLandmarks(models, faceImage, face);

    stages.begin('fit', 'camera, pose and shape');
    const fit = fitFace(marks.landmarks, image);

    stages.begin('unwrap', `UV texture ${uvSize}²`);
    const uvFace = await unwrapFace(ctx, faceImage.tensor, fit, { uvSize });
    stages.report(0.4, 'lighting and re-render');
    const faceOverlay = await renderOverlay(ctx, faceImage, fit, uvFace);
    owned.push(faceOverlay.rerender.tensor);
    const faceMeshQuality = {
      landmarkReprojectionPx: fit.reprojection,
      rerenderPsnrDb: faceOverlay.psnr,
      texels: uvFace.stats,
    };
    // With a morphable head model the maps live on the head's UV layout and the output is the whole
    // head; the FaceMesh-shape path above still runs, for the comparison in the report.
    const surface = options.faceModel
      ? await headSurface(ctx, options.faceModel, marks.landmarks, image, faceImage, uvSize, (f, m) =>
          stages.report(f, m),
        )
      : faceSurface(fit, uvFace, faceOverlay);
    owned.push(surface);
    const uv = surface.uv;
    const overlay = surface.overlay;
    const sh = overlay.lighting;
    const uvTexture = keep(Tensor.fromArray(ctx, uv.texture, [1, uvSize, uvSize, 3], 'uv_texture'));
    const uvNormals = keep(Tensor.fromArray(ctx, uv.normalMap, [1, uvSize, uvSize, 3], 'shape_normals'));
    const uvCoverage = keep(
      Tensor.fromArray(ctx, coverageOf(uv.normalMap), [1, uvSize, uvSize, 1], 'coverage'),
    );
    const uvVisibility = keep(Tensor.fromArray(ctx, uv.confidence, [1, uvSize, uvSize, 1], 'visibility'));

    stages.begin('upsample', upscale > 1 ? `ESRGAN ×${upscale}` : 'off (upscale 1)');
    const up =
      upscale > 1
        ? keep(await upsampleTexture(ctx, uvTexture, upscale, options, (f, m) => stages.report(f, m)))
        : undefined;
    const texture = up?.texture ?? uvTexture;
    const size = texture.h;
    const resized = (t: Tensor) =>
      t.h === size
        ? t
        : keep(resize(ctx, t, { height: size, width: size, mode: 'bilinear', coordinates: 'half-pixel' }));
    const normals = resized(uvNormals);
    const mask = resized(uvCoverage);

    stages.begin('reflectance', options.weights ? 'pix2pixhd backend: loading weights' : 'analytic backend');
    const refl = await reflectance(ctx, stages, options, {
      texture,
      normals,
      mask,
      sh: normaliseShading(sh.coefficients, uv.normalMap, uv.skinConfidence),
      prior: surface.prior,
    });
    const maps = refl.maps;
    for (const t of Object.values(maps)) owned.push(t);
    const backends = refl.backends;

    stages.begin('export', 'maps, mesh, renders');
    const images: ReconstructionMaps = {
      uvTexture: await tensorToImage(ctx, texture),
      visibility: await tensorToImage(ctx, uvVisibility),
      diffuseAlbedo: await tensorToImage(ctx, maps.diffuseAlbedo),
      specularAlbedo: await tensorToImage(ctx, maps.specularAlbedo),
      diffuseNormals: await tensorToImage(ctx, maps.diffuseNormals),
      specularNormals: await tensorToImage(ctx, maps.specularNormals),
      shapeNormals: await tensorToImage(ctx, uvNormals, 127.5, 127.5),
    };
    stages.report(0.3, 'rendering');
    const mesh = surface.mesh;
    const render = await frontRender(ctx, mesh, images);
    stages.report(0.6, 'identity similarity');
    const similarity = await identitySimilarity(models, faceImage, face, overlay.rerender);
    stages.report(0.8, 'writing files');
    const files: Record<string, Uint8Array> = {};
    const pngs: [string, RgbaImage][] = [
      ['uv_texture.png', images.uvTexture],
      ['visibility.png', images.visibility],
      ['diffuse_albedo.png', images.diffuseAlbedo],
      ['specular_albedo.png', images.specularAlbedo],
      ['diffuse_normals.png', images.diffuseNormals],
      ['specular_normals.png', images.specularNormals],
      ['shape_normals.png', images.shapeNormals],
      ['render.png', render],
      ['overlay.png', overlay.image],
    ];
    for (const [file, img] of pngs) files[file] = await encodePng(img);
    files['mesh.obj'] = new TextEncoder().encode(writeObj(mesh, 'mesh.mtl'));
    files['mesh.mtl'] = new TextEncoder().encode(
      writeMtl({
        diffuseAlbedo: 'diffuse_albedo.png',
        specularAlbedo: 'specular_albedo.png',
        diffuseNormals: 'diffuse_normals.png',
        specularNormals: 'specular_normals.png',
      }),
    );
    files['avatar.glb'] = await writeGlb(mesh, {
      diffuseAlbedo: files['diffuse_albedo.png'],
      specularAlbedo: files['specular_albedo.png'],
      diffuseNormals: files['diffuse_normals.png'],
      specularNormals: files['specular_normals.png'],
    });
    stages.end();
    const report = {
      input: { name, width: srcW, height: srcH, workingWidth: image.width, workingHeight: image.height },
      adapter: { vendor: device.adapterInfo?.vendor, architecture: device.adapterInfo?.architecture },
      faces: faces.map((f) => ({ box: f.box, score: f.score })),
      stagesMs: stages.timings,
      sizes: {
        uv: uvSize,
        upscale,
        maps: size,
        vertices: mesh.positions.length / 3,
        triangles: mesh.triangles.length / 3,
      },
      tilePlan: { upsample: up?.tiles ?? [], reflectance: refl.plans },
      backends,
      normalMaps:
        'tangent space, OpenGL convention (+Y green); shape_normals.png is object space (XYZ → RGB)',
      peakGpuBytes: ctx.pool.stats().peakBytes,
      shape: options.faceModel
        ? 'ICT Face Model head (identity + expression fit)'
        : 'FaceMesh canonical face, subdivided',
      quality: {
        landmarkReprojectionPx: surface.reprojection,
        rerenderPsnrDb: overlay.psnr,
        identitySimilarity: similarity,
        texels: uv.stats,
        lightingRms: sh.rms,
        ...(surface.head ? { head: surface.head, faceMeshPath: faceMeshQuality } : {}),
      },
    };
    files['report.json'] = new TextEncoder().encode(JSON.stringify(report, null, 2) + '\n');
    return { mesh, maps: images, render, overlay: overlay.image, files, report };
  } finally {
    for (const o of owned.reverse()) o.dispose();
    for (const c of cleanups) await c();
    ctx.dispose();
  }
}

/**
 * The reflectance stage. Without weights: the analytic backend. With weights: the networks the
 * manifest names (runReflectanceNetworks, tiled); a map without a network falls back to the analytic
 * backend, and the report names the backend of each map.
 */
async function reflectance(
  ctx: KernelContext,
  stages: StageRunner,
  options: ReconstructOptions,
  inputs: AnalyticInputs,
): Promise<{
  maps: ReflectanceTensors;
  backends: Record<ReflectanceMap, ReflectanceBackend>;
  plans: ReflectanceTilePlan[];
}> {
  const analytic = () => analyticReflectance(ctx, inputs, (c, x, o) => gaussianBlur(c, x, o));
  if (!options.weights) {
    const maps = analytic();
    const backends = Object.fromEntries(REFLECTANCE_MAPS.map((m) => [m, 'analytic'])) as Record<
      ReflectanceMap,
      ReflectanceBackend
    >;
    return { maps, backends, plans: [] };
  }
  const nets = await loadReflectanceNetworks(ctx, options.weights, {
    signal: options.signal,
    onProgress: (e) => stages.report(0, `loading ${e.file} (${e.index + 1}/${e.count})`),
  });
  let fallback: ReflectanceTensors | undefined;
  try {
    const missing = REFLECTANCE_MAPS.filter((m) => !nets.networks[m]);
    fallback = missing.length ? analytic() : undefined;
    const size = inputs.texture.h;
    const run = await runReflectanceNetworks(
      ctx,
      nets,
      {
        size,
        texture: await inputs.texture.read(),
        shapeNormals: await inputs.normals.read(),
        fallbackDiffuseAlbedo: fallback && (() => fallback!.diffuseAlbedo.read()),
      },
      { tile: options.tile, overlap: options.overlap, signal: options.signal },
      (f, m) => stages.report(f, m),
    );
    const maps = {} as ReflectanceTensors;
    const backends = {} as Record<ReflectanceMap, ReflectanceBackend>;
    for (const m of REFLECTANCE_MAPS) {
      const out = run.maps[m];
      if (out) {
        maps[m] = Tensor.fromArray(ctx, out.data, [1, size, size, out.channels], m);
        backends[m] = 'pix2pixhd';
      } else {
        maps[m] = fallback![m];
        backends[m] = 'analytic';
      }
    }
    for (const m of REFLECTANCE_MAPS) if (fallback && maps[m] !== fallback[m]) fallback[m].dispose();
    return { maps, backends, plans: run.plans };
  } catch (e) {
    if (fallback) for (const t of Object.values(fallback)) t.dispose();
    throw e;
  } finally {
    nets.dispose();
  }
}

/** The face from the front with the default light, as the demo shows it. */
async function frontRender(
  ctx: KernelContext,
  mesh: TexturedMesh,
  maps: ReconstructionMaps,
): Promise<RgbaImage> {
  const renderer = SkinRenderer.create(ctx, mesh, maps, (c, x, o) => gaussianBlur(c, x, o));
  try {
    const p = mesh.positions;
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < p.length; i += 3)
      for (let k = 0; k < 3; k++) {
        lo[k] = Math.min(lo[k], p[i + k]);
        hi[k] = Math.max(hi[k], p[i + k]);
      }
    const centre = [0, 1, 2].map((k) => (lo[k] + hi[k]) / 2);
    const radius = Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) / 2;
    const fov = Math.PI / 6;
    const eye: [number, number, number] = [
      centre[0],
      centre[1],
      centre[2] + (radius / Math.tan(fov / 2)) * 1.1,
    ];
    const viewProj = multiply(perspective(fov, 1, radius / 50, radius * 50), lookAt(eye, centre, [0, 1, 0]));
    const image = renderer.render({
      width: 512,
      height: 512,
      viewProj,
      eye,
      environment: 'studio',
      background: [0, 0, 0, 0],
    });
    try {
      return await tensorToImage(ctx, image);
    } finally {
      image.dispose();
    }
  } finally {
    renderer.dispose();
  }
}

/** Cosine similarity of FaceRes descriptors of the photo's face and of the re-rendered face. */
async function identitySimilarity(
  models: FaceModels,
  photo: Parameters<typeof faceDescriptor>[1],
  face: Parameters<typeof faceDescriptor>[2],
  rerender: Parameters<typeof faceDescriptor>[1],
): Promise<number> {
  const a = await faceDescriptor(models, photo, face);
  const b = await faceDescriptor(models, rerender, face);
  return descriptorSimilarity(a, b);
}

/** 1 where the UV layout has surface (a non-zero normal), 0 in the gaps between UV islands. */
function coverageOf(normalMap: Float32Array): Float32Array {
  const out = new Float32Array(normalMap.length / 3);
  for (let i = 0; i < out.length; i++) {
    out[i] = normalMap[3 * i] ** 2 + normalMap[3 * i + 1] ** 2 + normalMap[3 * i + 2] ** 2 > 0.25 ? 1 : 0;
  }
  return out;
}
