// Page half of tools/src/docs/samples.ts: renders a reconstruction from every view under the asked
// environments and encodes each render, and one contact sheet of them all, as JPEG.
import { KernelContext } from '@avatarme/kernels';
import type { TexturedMesh } from '@avatarme/pipeline/export/mesh.ts';
import type { HdrEnvironmentName } from '@avatarme/pipeline/skin-render/ibl-environment.ts';
import type { SkinMaps } from '@avatarme/pipeline/skin-render/skin-render.ts';
import { renderViews, type FramedSphere, type ViewName } from '@avatarme/pipeline/skin-render/views.ts';

export interface SampleArgs {
  mesh: TexturedMesh;
  maps: SkinMaps;
  views: ViewName[];
  environments: HdrEnvironmentName[];
  size: number;
  framing: FramedSphere;
  /** JPEG quality, 0–1. */
  quality: number;
  /** Side of one contact-sheet cell. */
  sheetCell: number;
}

// JPEG has no alpha: a mid grey reads as neither skin nor light on a white or a dark README.
const BACKGROUND = [112, 112, 112];

function composite(data: Uint8ClampedArray, size: number): OffscreenCanvas {
  const out = new Uint8ClampedArray(data.length);
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3] / 255;
    for (let c = 0; c < 3; c++) out[i + c] = data[i + c] * a + BACKGROUND[c] * (1 - a);
    out[i + 3] = 255;
  }
  const canvas = new OffscreenCanvas(size, size);
  canvas.getContext('2d')!.putImageData(new ImageData(out, size, size), 0, 0);
  return canvas;
}

async function jpeg(canvas: OffscreenCanvas, quality: number): Promise<Uint8Array> {
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Uint8Array(await blob.arrayBuffer());
}

/** `<view>_<environment>.jpg` for each pair and `contact-sheet.jpg` (rows: environments, columns: views). */
export async function renderSamples(device: GPUDevice, a: SampleArgs): Promise<Record<string, Uint8Array>> {
  const ctx = new KernelContext(device);
  try {
    const renders = await renderViews(ctx, a.mesh, a.maps, {
      views: a.views,
      environments: a.environments,
      size: a.size,
      framing: a.framing,
    });
    const cell = a.sheetCell;
    const sheet = new OffscreenCanvas(a.views.length * cell, a.environments.length * cell);
    const g = sheet.getContext('2d')!;
    g.imageSmoothingQuality = 'high';
    const files: Record<string, Uint8Array> = {};
    for (const r of renders) {
      const canvas = composite(r.image.data, a.size);
      files[`${r.view}_${r.environment}.jpg`] = await jpeg(canvas, a.quality);
      g.drawImage(
        canvas,
        a.views.indexOf(r.view) * cell,
        a.environments.indexOf(r.environment) * cell,
        cell,
        cell,
      );
    }
    files['contact-sheet.jpg'] = await jpeg(sheet, a.quality);
    return files;
  } finally {
    ctx.dispose();
  }
}
