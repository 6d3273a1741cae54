// Page half of reconstruct.test.ts: the pix2pixhd backend's tiled path against one window, the photo
// stage on odd inputs, and cancellation with a count of the GPU buffers and textures left alive.
import { KernelContext, Tensor } from '@avatarme/kernels';
import { loadReflectanceNetworks } from '../reflectance/learned/loader.ts';
import { releaseResident } from '../resident/memo.ts';
import { memoryWeightSource } from '../reflectance/learned/source.ts';
import { loadPhoto } from './photo.ts';
import {
  ReflectanceTileNet,
  runReflectanceNetworks,
  type NetworkReflectance,
} from '../reflectance/learned/run.ts';
import { reconstruct } from './reconstruct.ts';
import type { Progress } from './types.ts';

/**
 * Every GPUBuffer and GPUTexture the device creates while `fn` runs, and which of them were never
 * destroyed: an independent check of "every GPU buffer is released" that does not trust the pool.
 */
async function trackAllocations<T>(
  device: GPUDevice,
  fn: () => Promise<T>,
): Promise<{ value?: T; error?: string; created: number; alive: string[] }> {
  const alive = new Set<GPUBuffer | GPUTexture>();
  let created = 0;
  const originals = { buffer: device.createBuffer, texture: device.createTexture };
  const track = <R extends GPUBuffer | GPUTexture>(r: R): R => {
    created++;
    alive.add(r);
    const destroy = r.destroy.bind(r);
    r.destroy = () => {
      alive.delete(r);
      destroy();
    };
    return r;
  };
  device.createBuffer = (d) => track(originals.buffer.call(device, d));
  device.createTexture = (d) => track(originals.texture.call(device, d));
  let value: T | undefined;
  let error: string | undefined;
  try {
    value = await fn();
  } catch (e) {
    error = `${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    device.createBuffer = originals.buffer;
    device.createTexture = originals.texture;
  }
  return { value, error, created, alive: [...alive].map((r) => r.label || '(no label)') };
}

export interface TiledCase {
  files: Record<string, Uint8Array>;
  size: number;
  texture: Float32Array;
  shapeNormals: Float32Array;
  tile: number;
  overlap: number;
}

/** The four networks over the map in one window and in overlapping windows; plus the memory estimate of one window. */
export async function tiledVsWhole(device: GPUDevice, c: TiledCase) {
  const ctx = new KernelContext(device);
  const nets = await loadReflectanceNetworks(ctx, memoryWeightSource('mem', c.files));
  try {
    const inputs = { size: c.size, texture: c.texture, shapeNormals: c.shapeNormals };
    const steps: string[] = [];
    const whole = await runReflectanceNetworks(ctx, nets, inputs, { tile: c.size }, () => {});
    const tiled = await runReflectanceNetworks(
      ctx,
      nets,
      inputs,
      { tile: c.tile, overlap: c.overlap },
      (_, m) => steps.push(m),
    );
    // Measured peak of one window against the estimate the automatic tile size relies on.
    const net = new ReflectanceTileNet(ctx, nets.networks.diffuseNormals!);
    const x = Tensor.fromArray(ctx, new Float32Array(c.size * c.size * 6).fill(0.5), [1, c.size, c.size, 6]);
    await ctx.finish();
    // Empty the pool so the peak counts every activation of this one call, not reuse of earlier ones.
    ctx.pool.trim();
    ctx.pool.resetPeak();
    const base = ctx.pool.stats().liveBytes;
    const y = net.run(x);
    await ctx.finish();
    const measuredPeak = ctx.pool.stats().peakBytes - base;
    x.dispose();
    y.dispose();
    const flat = (r: NetworkReflectance) =>
      Object.fromEntries(Object.entries(r.maps).map(([k, v]) => [k, v.data]));
    const result = {
      whole: flat(whole),
      tiled: flat(tiled),
      plans: tiled.plans,
      wholePlans: whole.plans,
      steps: steps.length,
      measuredPeak,
      estimatedPeak: net.memory(c.size, c.size).peakBytes,
    };
    nets.dispose();
    return { ...result, live: ctx.pool.stats().liveBuffers };
  } catch (e) {
    nets.dispose();
    throw e;
  } finally {
    ctx.dispose();
  }
}

/** Cancels the tiled networks after `afterWindows` windows; counts what is left on the GPU. */
export async function abortTiled(device: GPUDevice, c: TiledCase & { afterWindows: number }) {
  const controller = new AbortController();
  let windows = 0;
  const r = await trackAllocations(device, async () => {
    const ctx = new KernelContext(device);
    try {
      const nets = await loadReflectanceNetworks(ctx, memoryWeightSource('mem', c.files));
      try {
        await runReflectanceNetworks(
          ctx,
          nets,
          { size: c.size, texture: c.texture, shapeNormals: c.shapeNormals },
          { tile: c.tile, overlap: c.overlap, signal: controller.signal },
          () => {
            if (++windows === c.afterWindows) controller.abort();
          },
        );
      } finally {
        nets.dispose();
      }
    } finally {
      ctx.dispose();
    }
  });
  return { error: r.error, created: r.created, alive: r.alive, windows };
}

/** Runs reconstruct and cancels it when the first progress event of `stage` arrives. */
export async function abortReconstruct(device: GPUDevice, c: { bytes: Uint8Array; stage: string }) {
  const controller = new AbortController();
  const seen: string[] = [];
  const r = await trackAllocations(device, () =>
    reconstruct(device, c.bytes, {
      uvSize: 64,
      name: 'photo',
      signal: controller.signal,
      onProgress: (p: Progress) => {
        seen.push(`${p.stage} ${p.fraction.toFixed(2)}`);
        if (p.stage === c.stage) controller.abort();
      },
      // What the run keeps on the device for the next one (the face networks) is freed on request.
    }).finally(() => releaseResident(device)),
  );
  return { error: r.error, created: r.created, alive: r.alive, seen };
}

/** The photo stage alone: decoded size, encoded size and a few pixels, or the one-line error. */
export async function loadPhotos(_device: GPUDevice, c: { files: Record<string, Uint8Array> }) {
  const out: Record<string, unknown> = {};
  for (const [name, bytes] of Object.entries(c.files)) {
    try {
      const p = await loadPhoto(bytes, name);
      const px = (x: number, y: number) => [
        ...p.data.subarray((y * p.width + x) * 4, (y * p.width + x) * 4 + 4),
      ];
      out[name] = {
        width: p.width,
        height: p.height,
        sourceWidth: p.sourceWidth,
        sourceHeight: p.sourceHeight,
        corners: [px(0, 0), px(p.width - 1, 0), px(0, p.height - 1), px(p.width - 1, p.height - 1)],
      };
    } catch (e) {
      out[name] = { error: (e as Error).message };
    }
  }
  return out;
}
