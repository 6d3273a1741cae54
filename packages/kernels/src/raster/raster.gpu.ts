// Page half of raster.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor } from '../core/tensor.ts';
import { interpolate } from './interpolate.ts';
import { rasterize, Triangles, type RasterMode } from './rasterize.ts';
import { texture, type TextureOptions } from './texture.ts';

export interface RasterCase {
  pos: Float32Array;
  tris: Uint32Array;
  width: number;
  height: number;
  mode?: RasterMode;
  attr?: Float32Array;
  attrChannels?: number;
}

/** Rasterises and (when attributes are given) interpolates; returns both and the pool's live count. */
export async function runRaster(device: GPUDevice, c: RasterCase) {
  const ctx = new KernelContext(device);
  const vertexCount = c.pos.length / 4;
  const pos = Tensor.fromArray(ctx, c.pos, [vertexCount, 1, 1, 4], 'pos');
  const tris = Triangles.create(ctx, c.tris, vertexCount);
  const rast = rasterize(ctx, pos, tris, { width: c.width, height: c.height, mode: c.mode });
  let attrOut: Float32Array | undefined;
  if (c.attr && c.attrChannels) {
    const attr = Tensor.fromArray(ctx, c.attr, [vertexCount, 1, 1, c.attrChannels], 'attr');
    const out = interpolate(ctx, attr, rast, tris);
    attrOut = await out.read();
    attr.dispose();
    out.dispose();
  }
  const rastOut = await rast.read();
  pos.dispose();
  rast.dispose();
  tris.dispose();
  const liveBuffers = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  return { rast: rastOut, attr: attrOut, liveBuffers };
}

export interface TextureCase {
  tex: Float32Array;
  texShape: [number, number, number, number];
  coords: Float32Array;
  coordShape: [number, number, number, number];
  mask?: Float32Array;
  options: Omit<TextureOptions, 'mask'>;
}

export async function runTexture(device: GPUDevice, c: TextureCase) {
  const ctx = new KernelContext(device);
  const tex = Tensor.fromArray(ctx, c.tex, c.texShape, 'tex');
  const coords = Tensor.fromArray(ctx, c.coords, c.coordShape, 'coords');
  const [, h, w] = c.coordShape;
  const mask = c.mask ? Tensor.fromArray(ctx, c.mask, [1, h, w, 4], 'mask') : undefined;
  const out = texture(ctx, tex, coords, { ...c.options, mask });
  const data = await out.read();
  for (const t of [tex, coords, mask, out]) t?.dispose();
  const liveBuffers = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  return { data, liveBuffers };
}
