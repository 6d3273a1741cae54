import { gaussianBlur, type KernelContext, type Tensor } from '@avatarme/kernels';
import { writeGlb } from '../export/glb.ts';
import type { TexturedMesh } from '../export/mesh.ts';
import { writeMtl, writeObj } from '../export/obj.ts';
import { descriptorSimilarity, faceDescriptor } from '../face/index.ts';
import { encodePng, type RgbaImage } from '../image/codec.ts';
import { tensorToImage } from '../reconstruct/maps.ts';
import type { ReconstructionMaps, ReconstructionResult } from '../reconstruct/types.ts';
import { lookAt, multiply, perspective } from '../skin-render/math.ts';
import { SkinRenderer } from '../skin-render/skin-render.ts';
import type { PosedSurface } from '../surface/surface.ts';
import type { Detection } from './detect.ts';
import type { Reflectance } from './reflectance.ts';
import type { StageRunner } from './runner.ts';
import type { Unwrapped } from './unwrap.ts';
import type { MapInputs } from './upsample.ts';

export interface ExportInputs {
  detection: Detection;
  surface: PosedSurface;
  unwrapped: Unwrapped;
  maps: MapInputs;
  reflectance: Reflectance;
}

/**
 * The maps as images, the mesh as OBJ/MTL and glTF, a front render, the identity check of the
 * re-render, and report.json; returns every output file by name.
 */
export async function exportStage(
  ctx: KernelContext,
  { detection, surface, unwrapped, maps, reflectance }: ExportInputs,
  run: StageRunner,
  reportHead: Record<string, unknown>,
): Promise<ReconstructionResult> {
  const m = reflectance.maps;
  const images: ReconstructionMaps = {
    uvTexture: await tensorToImage(ctx, maps.texture),
    visibility: await tensorToImage(ctx, unwrapped.visibility),
    diffuseAlbedo: await tensorToImage(ctx, m.diffuseAlbedo),
    specularAlbedo: await tensorToImage(ctx, m.specularAlbedo),
    diffuseNormals: await tensorToImage(ctx, m.diffuseNormals),
    specularNormals: await tensorToImage(ctx, m.specularNormals),
    shapeNormals: await tensorToImage(ctx, unwrapped.normals, 127.5, 127.5),
  };
  run.report(0.3, 'rendering');
  const mesh = surface.exportMesh;
  const render = await frontRender(ctx, mesh, images);
  run.report(0.6, 'identity similarity');
  const { models, photo, faces } = detection;
  const similarity = descriptorSimilarity(
    await faceDescriptor(models, photo, faces[0]),
    await faceDescriptor(models, unwrapped.overlay.rerender, faces[0]),
  );
  run.report(0.8, 'writing files');
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
    ['overlay.png', unwrapped.overlay.overlay],
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
  run.end();
  const { uv, overlay } = unwrapped;
  const report = {
    ...reportHead,
    faces: faces.map((f) => ({ box: f.box, score: f.score })),
    stagesMs: run.timings,
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
    peakGpuBytes: ctx.pool.stats().peakBytes,
    shape: surface.description,
    fit: { reprojectionPx: surface.reprojection, angles: surface.angles, ...surface.report },
    roundTrip: {
      about:
        'the re-render against the photo it was unwrapped from: these measure the fit and the resampling, not the reconstruction (npm run eval scores that against ground truth)',
      landmarkReprojectionPx: surface.reprojection,
      rerenderPsnrDb: overlay.psnr,
      identitySimilarity: similarity,
      texels: uv.stats,
      skinTone: uv.skinTone,
      lightingRms: overlay.lighting.rms,
    },
  };
  files['report.json'] = new TextEncoder().encode(JSON.stringify(report, null, 2) + '\n');
  return { mesh, maps: images, render, overlay: overlay.overlay, files, report };
}

/** The mesh from the front with the default light, framed on its bounding sphere, as the demo shows it. */
async function frontRender(
  ctx: KernelContext,
  mesh: TexturedMesh,
  maps: ReconstructionMaps,
): Promise<RgbaImage> {
  const renderer = SkinRenderer.create(ctx, mesh, maps, (c, x, o) => gaussianBlur(c, x, o));
  let image: Tensor | undefined;
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
    image = renderer.render({
      width: 512,
      height: 512,
      viewProj,
      eye,
      environment: 'studio',
      background: [0, 0, 0, 0],
    });
    return await tensorToImage(ctx, image);
  } finally {
    image?.dispose();
    renderer.dispose();
  }
}
