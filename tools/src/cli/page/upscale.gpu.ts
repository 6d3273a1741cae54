import { KernelContext } from '@avatarme/kernels';
import { EsrganNet } from '@avatarme/nets/esrgan/esrgan.ts';
import { toPixels } from '@avatarme/nets/esrgan/registry.ts';
import { decodeImage, encodePng, rgbFloatToRgba, rgbaToRgbFloat } from '@avatarme/pipeline';

export interface UpscaleArgs {
  bytes: Uint8Array;
  name: string;
  model: string;
  scale: number;
  raw: boolean;
  tile?: number;
}

const report = (value: unknown) => (globalThis as any).__avatarmeEvent?.(value);

/** Decodes the photo, super-resolves it tiled on our kernels, encodes the PNG (and keeps the raw output). */
export async function upscaleImage(device: GPUDevice, a: UpscaleArgs) {
  report({ stage: 'upscale', fraction: 0, message: `decoding ${a.name}, loading ${a.model} ×${a.scale}` });
  const image = await decodeImage(a.bytes, a.name);
  const ctx = new KernelContext(device);
  const net = await EsrganNet.load(ctx, a.model, a.scale);
  try {
    const t0 = performance.now();
    const r = await net.upscale(rgbaToRgbFloat(image, 1), image.height, image.width, {
      tile: a.tile,
      onProgress: (p) =>
        report({
          stage: 'upscale',
          fraction: p.done / p.total,
          message: `window ${p.done}/${p.total}`,
        }),
    });
    const seconds = (performance.now() - t0) / 1000;
    const [w, h] = [image.width * a.scale, image.height * a.scale];
    const png = await encodePng(rgbFloatToRgba(toPixels(r.data, net.info), w, h, 1));
    return {
      png,
      raw: a.raw ? r.data : undefined,
      width: image.width,
      height: image.height,
      outWidth: w,
      outHeight: h,
      tile: r.tile,
      windows: r.windows,
      blend: r.blend,
      seconds,
      outputRange: net.info.outputRange,
    };
  } finally {
    net.dispose();
    ctx.dispose();
  }
}
