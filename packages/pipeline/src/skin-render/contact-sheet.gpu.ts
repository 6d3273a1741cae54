// Page half of scripts/contact-sheet.ts: reconstructs a photo, renders every view under every
// bundled environment, and lays them out as one sheet (rows: environments, columns: views).
import { KernelContext, ambientOcclusion, readRgba8, tensorToRgba8 } from '@avatarme/kernels';
import { encodePng, type RgbaImage } from '../image/codec.ts';
import { reconstruct } from '../reconstruct/reconstruct.ts';
import { IblEnvironment } from './ibl-environment.ts';
import { SkinRenderer } from './skin-render.ts';
import { framingCamera, renderViews } from './views.ts';

export async function contactSheet(
  device: GPUDevice,
  a: { photo: Uint8Array; size: number; uvSize: number },
) {
  const t0 = performance.now();
  const result = await reconstruct(device, a.photo, { uvSize: a.uvSize, name: 'contact sheet' });
  const t1 = performance.now();
  const ctx = new KernelContext(device);
  const renders = await renderViews(ctx, result.mesh, result.maps, { size: a.size });
  const t2 = performance.now();
  // The default output (front, studio, 512²) timed alone: occlusion, environment, then renders read
  // back, after one warm-up render (pipelines compiled).
  const t3 = performance.now();
  const occlusion = await ambientOcclusion(
    ctx,
    result.mesh.positions,
    result.mesh.normals!,
    result.mesh.triangles,
    {
      directions: 32,
      resolution: 192,
    },
  );
  const t4 = performance.now();
  const env = await IblEnvironment.load(ctx, 'studio');
  const t5 = performance.now();
  const renderer = SkinRenderer.create(ctx, result.mesh, result.maps, {
    occlusion,
  });
  const frame = async () => {
    const image = renderer.render({
      width: 512,
      height: 512,
      ...framingCamera(result.mesh, 0),
      environment: env,
    });
    const bytes = tensorToRgba8(ctx, image, { scale: 255 });
    image.dispose();
    await readRgba8(ctx, bytes, 512, 512);
    ctx.pool.release(bytes);
  };
  await frame();
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    await frame();
    times.push(performance.now() - s);
  }
  renderer.dispose();
  env.dispose();
  ctx.dispose();
  const envs = [...new Set(renders.map((r) => r.environment))];
  const views = [...new Set(renders.map((r) => r.view))];
  const sheet: RgbaImage = {
    width: views.length * a.size,
    height: envs.length * a.size,
    data: new Uint8ClampedArray(views.length * envs.length * a.size * a.size * 4),
  };
  // Grey background so the transparent surround reads as neither black skin nor white light.
  for (let i = 0; i < sheet.data.length; i += 4) sheet.data.set([96, 96, 96, 255], i);
  for (const r of renders) {
    const ox = views.indexOf(r.view) * a.size;
    const oy = envs.indexOf(r.environment) * a.size;
    for (let y = 0; y < a.size; y++)
      for (let x = 0; x < a.size; x++) {
        const s = (y * a.size + x) * 4;
        const alpha = r.image.data[s + 3] / 255;
        const d = ((oy + y) * sheet.width + ox + x) * 4;
        for (let c = 0; c < 3; c++)
          sheet.data[d + c] = r.image.data[s + c] * alpha + sheet.data[d + c] * (1 - alpha);
      }
  }
  return {
    png: await encodePng(sheet),
    layout: { rows: envs, columns: views },
    reconstructMs: t1 - t0,
    renderMsPerView: (t2 - t1) / renders.length,
    occlusionMs: t4 - t3,
    environmentMs: t5 - t4,
    frame512Ms: times.sort((a, b) => a - b)[1],
    vertices: result.mesh.positions.length / 3,
    exportStageMs: (result.report.stagesMs as Record<string, number>).export,
  };
}
