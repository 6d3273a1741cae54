// Page half of tiled.test.ts: one ESRGAN model run whole and tiled on the same image.
import { KernelContext } from '@avatarme/kernels';
import { decodeTestImage } from '@avatarme/testing/page';
import { EsrganNet } from '../esrgan/esrgan.ts';
import { toModelRange } from '../esrgan/registry.ts';
import type { TiledOptions } from './tiled.ts';

export async function tiledVsWhole(
  device: GPUDevice,
  a: {
    model: string;
    scale: number;
    bytes: Uint8Array;
    crop: [number, number, number, number];
    tiled: TiledOptions[];
  },
) {
  const img = await decodeTestImage(a.bytes);
  const [cx, cy, w, h] = a.crop;
  const pixels = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < 3; k++)
        pixels[(y * w + x) * 3 + k] = img.data[((cy + y) * img.width + cx + x) * 4 + k];
  const ctx = new KernelContext(device);
  const net = await EsrganNet.load(ctx, a.model, a.scale);
  const whole = await net.predict(toModelRange(pixels, net.info), h, w);
  const runs = [];
  for (const o of a.tiled) {
    const progress: number[] = [];
    const r = await net.upscale(pixels, h, w, { ...o, onProgress: (p) => progress.push(p.done) });
    runs.push({ data: r.data, tile: r.tile, windows: r.windows, blend: r.blend, progress });
  }
  const auto = net.memory(64, 64);
  net.dispose();
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  return { whole, runs, live, memory64: auto };
}
