import {
  KernelContext,
  Tensor,
  accumulateTile,
  featherWeight,
  normalizeTiles,
  slice,
} from '@avatarme/kernels';
import { chooseTileSize, planContextWindows, type ContextWindow, type MemoryEstimate } from './windows.ts';

/** A network that maps [1, h, w, cin] to [1, h·scale, w·scale, cout] for any h, w. */
export interface TileNet {
  readonly ctx: KernelContext;
  readonly scale: number;
  readonly inChannels: number;
  readonly outChannels: number;
  run(x: Tensor): Tensor;
  memory: MemoryEstimate;
}

export interface TiledOptions {
  /** Window size in input pixels; default: the largest that fits the device (chooseTileSize). */
  tile?: number;
  /** Input pixels two neighbouring windows share and blend over (raised-cosine ramps). Default 4. */
  overlap?: number;
  /** Extra input pixels read around each window and cropped from its output. Default 8. */
  context?: number;
  /** Bytes of activations one call may use when choosing the tile size (default 512 MiB). */
  budget?: number;
  /** Where to blend: 'auto' (GPU when the output fits one binding), or force one (tests). */
  blend?: 'auto' | 'gpu' | 'cpu';
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; window: ContextWindow }) => void;
}

export interface TiledResult {
  /** Dense HWC output, [h·scale, w·scale, outChannels]. */
  data: Float32Array;
  tile: number;
  windows: number;
  /** Where tiles were blended: on the GPU, or on the CPU when the output exceeds one binding. */
  blend: 'gpu' | 'cpu';
}

function cropInput(image: Float32Array, width: number, c: number, r: ContextWindow['read']): Float32Array {
  const out = new Float32Array(r.h * r.w * c);
  for (let y = 0; y < r.h; y++) {
    const src = ((r.y0 + y) * width + r.x0) * c;
    out.set(image.subarray(src, src + r.w * c), y * r.w * c);
  }
  return out;
}

/**
 * Runs `net` over an image of any size window by window and blends the windows without seams. The
 * image (dense HWC) stays on the CPU; each window is uploaded, run in one submission, cropped to its
 * window on the GPU and blended into the output.
 */
export async function runTiled(
  net: TileNet,
  image: Float32Array,
  height: number,
  width: number,
  opts: TiledOptions = {},
): Promise<TiledResult> {
  const { ctx, scale: s, inChannels: cin, outChannels: cout } = net;
  if (image.length !== height * width * cin)
    throw new Error(`tiled: ${image.length} values do not fill ${height}×${width}×${cin}`);
  const context = opts.context ?? 8;
  const overlap = opts.overlap ?? 4;
  const tile =
    opts.tile ?? chooseTileSize(net.memory, ctx.limits, { context, budget: opts.budget ?? 512 * 2 ** 20 });
  const windows = planContextWindows(height, width, tile, overlap, context);
  const [oh, ow] = [height * s, width * s];
  const outBytes = Tensor.byteLengthOf([1, oh, ow, cout]);
  const fits = outBytes <= Math.min(ctx.limits.maxStorageBufferBindingSize, ctx.limits.maxBufferSize);
  const onGpu = opts.blend === 'gpu' || (opts.blend !== 'cpu' && fits);

  let acc: Tensor | undefined;
  let weightSum: Tensor | undefined;
  let cpuAcc: Float32Array | undefined;
  let cpuWeight: Float32Array | undefined;
  if (onGpu) {
    acc = Tensor.fromArray(ctx, new Float32Array(oh * ow * cout), [1, oh, ow, cout], 'tiled.acc');
    weightSum = Tensor.fromArray(ctx, new Float32Array(oh * ow), [1, oh, ow, 1], 'tiled.weights');
  } else {
    cpuAcc = new Float32Array(oh * ow * cout);
    cpuWeight = new Float32Array(oh * ow);
  }
  try {
    for (const [i, win] of windows.entries()) {
      opts.signal?.throwIfAborted();
      const r = win.read;
      const x = Tensor.fromArray(ctx, cropInput(image, width, cin, r), [1, r.h, r.w, cin], 'tiled.x');
      const y = net.run(x);
      x.dispose();
      const kept = slice(ctx, y, [0, win.offsetY * s, win.offsetX * s, 0], [1, win.h * s, win.w * s, cout]);
      y.dispose();
      // Feathers scale with the output; windows and offsets are in output pixels from here on.
      const feather = {
        top: win.feather.top * s,
        bottom: win.feather.bottom * s,
        left: win.feather.left * s,
        right: win.feather.right * s,
      };
      if (onGpu) {
        accumulateTile(ctx, acc!, weightSum!, kept, { y0: win.y0 * s, x0: win.x0 * s, feather });
        kept.dispose();
        await ctx.finish();
      } else {
        const data = await kept.read();
        kept.dispose();
        const [th, tw] = [win.h * s, win.w * s];
        for (let ty = 0; ty < th; ty++)
          for (let tx = 0; tx < tw; tx++) {
            const wgt = featherWeight(ty, tx, th, tw, feather);
            const o = (win.y0 * s + ty) * ow + win.x0 * s + tx;
            cpuWeight![o] += wgt;
            for (let k = 0; k < cout; k++) cpuAcc![o * cout + k] += wgt * data[(ty * tw + tx) * cout + k];
          }
      }
      opts.onProgress?.({ done: i + 1, total: windows.length, window: win });
    }
    let data: Float32Array;
    if (onGpu) {
      const out = normalizeTiles(ctx, acc!, weightSum!);
      data = await out.read();
      out.dispose();
    } else {
      data = cpuAcc!;
      for (let p = 0; p < oh * ow; p++) for (let k = 0; k < cout; k++) data[p * cout + k] /= cpuWeight![p];
    }
    return { data, tile, windows: windows.length, blend: onGpu ? 'gpu' : 'cpu' };
  } finally {
    acc?.dispose();
    weightSum?.dispose();
  }
}
