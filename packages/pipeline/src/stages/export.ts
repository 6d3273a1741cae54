import { pipelineStatsSince, type KernelContext } from '@avatarme/kernels';
import { writeGlb } from '../export/glb.ts';
import { writeMtl, writeObj } from '../export/obj.ts';
import { descriptorSimilarity, photoDescriptor, submitDescriptor } from '../face/index.ts';
import { encodePng, type RgbaImage } from '../image/codec.ts';
import { tensorToImage } from '../reconstruct/maps.ts';
import type { ReconstructionMaps, ReconstructionResult } from '../reconstruct/types.ts';
import { HDR_ENVIRONMENT_NAMES } from '../skin-render/ibl-environment.ts';
import { renderViews, VIEW_NAMES } from '../skin-render/views.ts';
import type { PosedSurface } from '../surface/surface.ts';
import type { Detection } from './detect.ts';
import type { Reflectance } from './reflectance.ts';
import { Laps } from './laps.ts';
import type { StageRunner } from './runner.ts';
import type { Unwrapped } from './unwrap.ts';
import type { MapInputs } from './upsample.ts';

export interface ExportInputs {
  detection: Detection;
  surface: PosedSurface;
  unwrapped: Unwrapped;
  maps: MapInputs;
  reflectance: Reflectance;
  /** The identity check, started earlier (startIdentityCheck); none without one. */
  identity?: Promise<IdentityDescriptors>;
}

/** The identity check's two FaceRes descriptors, under way: the photo's (memoised per device) and the re-render's. */
export interface IdentityDescriptors {
  photo: Promise<Float32Array>;
  render: Promise<Float32Array>;
}

/**
 * Starts the identity check: the re-render's FaceRes is submitted to the GPU before this resolves, so
 * it runs while the caller de-lights on the CPU; the photo's is `photo` when the caller started it
 * earlier (startPhotoDescriptor; a memo hit after the first run), else it follows. Neither promise
 * rejects unheard: the export awaits both.
 */
export async function startIdentityCheck(
  detection: Detection,
  unwrapped: Unwrapped,
  photo?: Promise<Float32Array>,
): Promise<IdentityDescriptors> {
  const { models, faces } = detection;
  const net = await models.descriptor();
  const render = submitDescriptor(models, net, unwrapped.overlay.rerender, faces[0]);
  const started = {
    render,
    photo: photo ?? photoDescriptor(models, detection.image, detection.photo, faces[0]),
  };
  for (const p of Object.values(started)) p.catch(() => {});
  return started;
}

/**
 * The maps as images, the mesh as OBJ/MTL and glTF, the renders (front under the studio; with
 * `renders` three views under three environments), the identity check of the re-render when one
 * was started, and report.json; returns every output file by name.
 */
export async function exportStage(
  ctx: KernelContext,
  { detection, surface, unwrapped, maps, reflectance, identity }: ExportInputs,
  run: StageRunner,
  reportHead: Record<string, unknown>,
  renders = false,
): Promise<ReconstructionResult> {
  const m = reflectance.maps;
  // Where the stage's time goes (report.json exportMs): the renders and the identity check dominate.
  const laps = new Laps();
  const images: ReconstructionMaps = {
    uvTexture: await tensorToImage(ctx, maps.texture),
    visibility: await tensorToImage(ctx, unwrapped.visibility),
    diffuseAlbedo: await tensorToImage(ctx, m.diffuseAlbedo),
    specularAlbedo: await tensorToImage(ctx, m.specularAlbedo),
    diffuseNormals: await tensorToImage(ctx, m.diffuseNormals),
    specularNormals: await tensorToImage(ctx, m.specularNormals),
    roughness: await tensorToImage(ctx, reflectance.roughness),
    shapeNormals: await tensorToImage(ctx, unwrapped.normals, 127.5, 127.5),
  };
  laps.lap('maps');
  const mesh = surface.exportMesh;
  run.report(0.3, renders ? 'rendering 3 views × 3 environments' : 'rendering');
  const views = await renderViews(ctx, mesh, images, {
    views: renders ? VIEW_NAMES : ['front'],
    environments: renders ? HDR_ENVIRONMENT_NAMES : ['studio'],
  });
  laps.lap('renders');
  const render = views.find((v) => v.view === 'front' && v.environment === 'studio')!.image;
  const pngs: [string, RgbaImage][] = [
    ['uv_texture.png', images.uvTexture],
    ['visibility.png', images.visibility],
    ['diffuse_albedo.png', images.diffuseAlbedo],
    ['specular_albedo.png', images.specularAlbedo],
    ['diffuse_normals.png', images.diffuseNormals],
    ['specular_normals.png', images.specularNormals],
    ['roughness.png', images.roughness],
    ['shape_normals.png', images.shapeNormals],
    ['render.png', render],
    ['overlay.png', unwrapped.overlay.overlay],
  ];
  if (renders) for (const v of views) pngs.push([v.file, v.image]);
  // Issued together and before waiting on the identity check: the browser encodes them on its own
  // threads while FaceRes runs.
  const encoding = Promise.all(pngs.map(([, img]) => encodePng(img)));
  const { faces } = detection;
  let similarity: number | undefined;
  if (identity) {
    run.report(0.6, 'identity similarity');
    const { photo, render: rerender } = await identity;
    const photoEmbedding = await photo;
    laps.lap('identityPhoto');
    similarity = descriptorSimilarity(photoEmbedding, await rerender);
    laps.lap('identityRender');
  }
  run.report(0.8, 'writing files');
  const files: Record<string, Uint8Array> = {};
  const encoded = await encoding;
  pngs.forEach(([file], i) => (files[file] = encoded[i]));
  laps.lap('png');
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
    roughness: files['roughness.png'],
  });
  laps.lap('meshFiles');
  run.end();
  const { uv, overlay } = unwrapped;
  const report = {
    ...reportHead,
    faces: faces.map((f) => ({ box: f.box, score: f.score })),
    stagesMs: run.timings,
    reflectanceMs: reflectance.timings,
    exportMs: laps.ms,
    sizes: {
      uv: uv.size,
      upscale: maps.size / uv.size,
      maps: maps.size,
      vertices: mesh.positions.length / 3,
      triangles: mesh.triangles.length / 3,
    },
    tilePlan: { upsample: maps.tiles, reflectance: reflectance.plans },
    backends: reflectance.backends,
    normalMaps: 'tangent space, OpenGL convention (+Y green); shape_normals.png is object space (XYZ → RGB)',
    // This run's pool: the face networks and the head's basis kept on the device (resident/) are not in it.
    peakGpuBytes: ctx.pool.stats().peakBytes,
    // This run's: a device kept between runs (the CLI's kept browser) has compiled others before.
    pipelines: pipelineStatsSince(ctx.device, ctx.pipelinesAtStart),
    shape: surface.description,
    fit: { reprojectionPx: surface.reprojection, angles: surface.angles, ...surface.report },
    roundTrip: {
      about:
        'the re-render against the photo it was unwrapped from: these measure the fit and the resampling, not the reconstruction (npm run eval scores that against ground truth)',
      landmarkReprojectionPx: surface.reprojection,
      rerenderPsnrDb: overlay.psnr,
      ...(similarity !== undefined ? { identitySimilarity: similarity } : {}),
      texels: uv.stats,
      skinTone: uv.skinTone,
      lightingRms: overlay.lighting.rms,
    },
  };
  files['report.json'] = new TextEncoder().encode(JSON.stringify(report, null, 2) + '\n');
  return { mesh, maps: images, render, overlay: overlay.overlay, files, report };
}
