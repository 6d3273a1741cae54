import { KernelContext } from '@avatarme/kernels';
import { EsrganNet } from '@avatarme/nets/esrgan/esrgan.ts';
import { toPixels } from '@avatarme/nets/esrgan/registry.ts';
import { OnnxNet } from '@avatarme/nets/onnx/net.ts';
import { decodeImage, encodePng, rgbFloatToRgba, rgbaToRgbFloat } from '@avatarme/pipeline';

export interface UpscaleArgs {
  bytes: Uint8Array;
  name: string;
  model: string;
  scale: number;
  raw: boolean;
  tile?: number;
  /** An ONNX model's bytes: `model` is then its file name. */
  onnx?: Uint8Array;
}

/** The UpscalerJS model of that name, or the ONNX network given, with how to turn its output into pixels. */
async function loadNet(ctx: KernelContext, a: UpscaleArgs) {
  if (a.onnx) {
    const net = OnnxNet.create(ctx, a.onnx, a.model);
    return { net, pixels: (d: Float32Array) => net.toPixels(d), outputRange: net.outputRange };
  }
  const net = await EsrganNet.load(ctx, a.model, a.scale);
  return { net, pixels: (d: Float32Array) => toPixels(d, net.info), outputRange: net.info.outputRange };
}

const report = (value: unknown) => (globalThis as any).__avatarmeEvent?.(value);

/** Decodes the photo, super-resolves it tiled on our kernels, encodes the PNG (and keeps the raw output). */
export async function upscaleImage(device: GPUDevice, a: UpscaleArgs) {
  report({ stage: 'upscale', fraction: 0, message: `decoding ${a.name}, loading ${a.model} ×${a.scale}` });
  const image = await decodeImage(a.bytes, a.name);
  const ctx = new KernelContext(device);
  const { net, pixels, outputRange } = await loadNet(ctx, a);
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
    const png = await encodePng(rgbFloatToRgba(pixels(r.data), w, h, 1));
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
      outputRange,
    };
  } finally {
    net.dispose();
    ctx.dispose();
  }
}
