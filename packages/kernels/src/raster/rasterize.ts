import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import rasterCommon from './raster-common.wgsl?raw';
import rasterizeSource from './rasterize.wgsl?raw';
import resolveSource from './resolve.wgsl?raw';

const INCLUDES = { 'raster-common': rasterCommon };

/** Triangle indices on the GPU (u32, three per triangle), checked against the vertex count once. */
export class Triangles {
  private disposed = false;

  private constructor(
    readonly buffer: GPUBuffer,
    readonly count: number,
    readonly vertexCount: number,
  ) {}

  static create(
    ctx: KernelContext,
    indices: Uint32Array,
    vertexCount: number,
    label = 'triangles',
  ): Triangles {
    if (indices.length === 0 || indices.length % 3 !== 0) {
      throw new KernelError(label, `${indices.length} indices are not a positive multiple of 3`);
    }
    for (let i = 0; i < indices.length; i++) {
      if (indices[i] >= vertexCount) {
        throw new KernelError(
          label,
          `index ${indices[i]} at [${i}] is out of range for ${vertexCount} vertices`,
        );
      }
    }
    ctx.checkBindingSize(label, 'indices', [indices.length], indices.byteLength);
    const buffer = ctx.device.createBuffer({
      label,
      size: Math.max(16, indices.byteLength),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    ctx.device.queue.writeBuffer(buffer, 0, indices as Uint32Array<ArrayBuffer>);
    return new Triangles(buffer, indices.length / 3, vertexCount);
  }

  assertAlive(op: string): void {
    if (this.disposed) throw new KernelError(op, `triangles ${this.buffer.label} were already disposed`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.buffer.destroy();
  }
}

export type RasterMode = 'packed' | 'two-pass';

export interface RasterPlan {
  mode: RasterMode;
  /** Bits of the packed key that hold the triangle id (32 in two-pass mode: ids stand alone). */
  idBits: number;
  /** Depth quantisation: z/w in [-1, 1] maps to round((z/w · 0.5 + 0.5) · depthLevels). */
  depthLevels: number;
}

/** Fewest depth bits that the packed mode accepts before it falls back to two passes. */
export const MIN_PACKED_DEPTH_BITS = 16;

/**
 * Packed mode while the ids leave at least 16 bits of depth (up to 65,535 triangles; the subdivided
 * face has far fewer), two passes with 24-bit depth beyond. A pure function of the triangle count.
 */
export function planRaster(triangleCount: number, force?: RasterMode): RasterPlan {
  // ids 0..T-1 and a complement that is never zero: the all-ones key stays free for "empty".
  const idBits = Math.max(1, Math.ceil(Math.log2(triangleCount + 1)));
  const packed = force ? force === 'packed' : 32 - idBits >= MIN_PACKED_DEPTH_BITS;
  if (packed) {
    if (32 - idBits < 8)
      throw new KernelError('rasterize', `${triangleCount} triangles leave no depth bits to pack`);
    return { mode: 'packed', idBits, depthLevels: 2 ** Math.min(24, 32 - idBits) - 1 };
  }
  return { mode: 'two-pass', idBits: 32, depthLevels: 2 ** 24 - 1 };
}

export interface RasterizeOptions {
  width: number;
  height: number;
  /** Force a mode (tests cover both); default from planRaster. */
  mode?: RasterMode;
  label?: string;
}

/**
 * Rasterises triangles given clip-space vertex positions `pos` [V, 1, 1, 4] (x, y, z, w) into a new
 * tensor [1, H, W, 4]: per pixel (u, v, z/w, triangle id + 1), nvdiffrast's layout, zeros where
 * empty. Conventions and the fill rule are documented in raster-common.wgsl.
 */
export function rasterize(ctx: KernelContext, pos: Tensor, tris: Triangles, opts: RasterizeOptions): Tensor {
  const op = opts.label ?? 'rasterize';
  pos.assertAlive(op);
  tris.assertAlive(op);
  const { width, height } = opts;
  if (![width, height].every((d) => Number.isInteger(d) && d > 0)) {
    throw new KernelError(op, `image size ${width}×${height} must be positive integers`);
  }
  if (pos.c !== 4 || pos.h !== 1 || pos.w !== 1) {
    throw new KernelError(
      op,
      `positions ${fmtShape(pos.shape)} must be [V, 1, 1, 4] clip-space (x, y, z, w)`,
    );
  }
  if (pos.n !== tris.vertexCount) {
    throw new KernelError(
      op,
      `positions ${fmtShape(pos.shape)} have ${pos.n} vertices, the triangles index ${tris.vertexCount}`,
    );
  }
  const plan = planRaster(tris.count, opts.mode);
  const pixels = width * height;
  ctx.checkBindingSize(op, 'depth buffer', [height, width], pixels * 4);
  const zbuf = ctx.pool.acquire(pixels * 4, `${op}.zbuf`);
  const idbuf = plan.mode === 'two-pass' ? ctx.pool.acquire(pixels * 4, `${op}.idbuf`) : undefined;
  ctx.commandEncoder.clearBuffer(zbuf);
  if (idbuf) ctx.commandEncoder.clearBuffer(idbuf);

  const twoPass = plan.mode === 'two-pass' ? 1 : 0;
  const raster = ctx.program('rasterize', rasterizeSource, { TWO_PASS: twoPass }, INCLUDES);
  const passes = twoPass ? [0, 1] : [0];
  for (const pass of passes) {
    ctx.dispatchFlat(
      raster,
      {
        pos,
        tris: tris.buffer,
        zbuf,
        ...(idbuf ? { idbuf } : {}),
        u: {
          width,
          height,
          tri_count: tris.count,
          id_bits: plan.mode === 'packed' ? plan.idBits : 0,
          depth_levels: plan.depthLevels,
          pass_index: pass,
        },
      },
      tris.count,
    );
  }

  const out = Tensor.empty(ctx, [1, height, width, 4], op);
  ctx.dispatchFlat(
    ctx.program('rasterize.resolve', resolveSource, {}, INCLUDES),
    {
      pos,
      tris: tris.buffer,
      keys: idbuf ?? zbuf,
      rast: out,
      u: {
        width,
        height,
        id_mask: plan.mode === 'packed' ? 2 ** plan.idBits - 1 : 0xffffffff,
        pixel_count: pixels,
      },
    },
    pixels,
  );
  ctx.pool.release(zbuf);
  if (idbuf) ctx.pool.release(idbuf);
  return out;
}
