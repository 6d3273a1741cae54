// Page half of backward.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '../core/context.ts';
import { Tensor } from '../core/tensor.ts';
import { antialias, antialiasBackward } from './antialias.ts';
import { interpolateBackward, textureBackward } from './backward.ts';
import { interpolate } from './interpolate.ts';
import { rasterize, Triangles } from './rasterize.ts';
import type { TextureOptions } from './texture.ts';

export interface MeshCase {
  pos: Float32Array;
  tris: Uint32Array;
  width: number;
  height: number;
  /** Per-vertex attributes [V·C] (interpolate) or an image [H·W·C] (antialias). */
  values: Float32Array;
  channels: number;
  /** ∂L/∂out [H·W·C]. */
  dy: Float32Array;
}

async function finish(ctx: KernelContext, tensors: Tensor[]): Promise<number> {
  for (const t of tensors) t.dispose();
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  return live;
}

/** A mesh case on the GPU: clip positions, triangles, their raster, per-vertex values and dL/dy. */
function meshInputs(ctx: KernelContext, c: MeshCase) {
  const V = c.pos.length / 4;
  const pos = Tensor.fromArray(ctx, c.pos, [V, 1, 1, 4], 'pos');
  const tris = Triangles.create(ctx, c.tris, V);
  const rast = rasterize(ctx, pos, tris, { width: c.width, height: c.height });
  const attr = Tensor.fromArray(ctx, c.values, [V, 1, 1, c.channels], 'attr');
  const dy = Tensor.fromArray(ctx, c.dy, [1, c.height, c.width, c.channels], 'dy');
  return { pos, tris, rast, attr, dy };
}

export async function runInterpolateBackward(device: GPUDevice, c: MeshCase) {
  const ctx = new KernelContext(device);
  const { pos, tris, rast, attr, dy } = meshInputs(ctx, c);
  const { dAttr, dRast } = interpolateBackward(ctx, attr, rast, tris, dy);
  const out = { rast: await rast.read(), dAttr: await dAttr.read(), dRast: await dRast.read() };
  tris.dispose();
  return { ...out, liveBuffers: await finish(ctx, [pos, rast, attr, dy, dAttr, dRast]) };
}

export async function runAntialias(device: GPUDevice, c: MeshCase) {
  const ctx = new KernelContext(device);
  const V = c.pos.length / 4;
  const pos = Tensor.fromArray(ctx, c.pos, [V, 1, 1, 4], 'pos');
  const tris = Triangles.create(ctx, c.tris, V);
  const rast = rasterize(ctx, pos, tris, { width: c.width, height: c.height });
  const color = Tensor.fromArray(ctx, c.values, [1, c.height, c.width, c.channels], 'color');
  const dy = Tensor.fromArray(ctx, c.dy, [1, c.height, c.width, c.channels], 'dy');
  const out = antialias(ctx, color, rast, pos, tris);
  const { dColor, dPos } = antialiasBackward(ctx, color, rast, pos, tris, dy);
  const res = {
    rast: await rast.read(),
    out: await out.read(),
    dColor: await dColor.read(),
    dPos: await dPos.read(),
  };
  tris.dispose();
  return { ...res, liveBuffers: await finish(ctx, [pos, rast, color, dy, out, dColor, dPos]) };
}

export interface TextureBackwardCase {
  tex: Float32Array;
  texShape: [number, number, number, number];
  coords: Float32Array;
  coordShape: [number, number, number, number];
  dy: Float32Array;
  mask?: Float32Array;
  space: TextureOptions['space'];
}

export async function runTextureBackward(device: GPUDevice, c: TextureBackwardCase) {
  const ctx = new KernelContext(device);
  const tex = Tensor.fromArray(ctx, c.tex, c.texShape, 'tex');
  const coords = Tensor.fromArray(ctx, c.coords, c.coordShape, 'coords');
  const [, h, w] = c.coordShape;
  const dy = Tensor.fromArray(ctx, c.dy, [1, h, w, c.texShape[3]], 'dy');
  const mask = c.mask ? Tensor.fromArray(ctx, c.mask, [1, h, w, 4], 'mask') : undefined;
  const { dTex, dCoords } = textureBackward(ctx, tex, coords, dy, { space: c.space, mask });
  const res = { dTex: await dTex.read(), dCoords: await dCoords.read() };
  const live = await finish(ctx, [tex, coords, dy, dTex, dCoords, ...(mask ? [mask] : [])]);
  return { ...res, liveBuffers: live };
}

/** Each backward op `runs` times on the same inputs (one context), for the bit-for-bit comparison. */
export async function runBackwardRepeated(
  device: GPUDevice,
  c: MeshCase & { tex: TextureBackwardCase; runs: number },
) {
  const ctx = new KernelContext(device);
  const { pos, tris, rast, attr, dy } = meshInputs(ctx, c);
  const color = interpolate(ctx, attr, rast, tris);
  const tex = Tensor.fromArray(ctx, c.tex.tex, c.tex.texShape, 'tex');
  const coords = Tensor.fromArray(ctx, c.tex.coords, c.tex.coordShape, 'coords');
  const texDy = Tensor.fromArray(
    ctx,
    c.tex.dy,
    [1, c.tex.coordShape[1], c.tex.coordShape[2], c.tex.texShape[3]],
    'texDy',
  );
  const out: { dAttr: Float32Array; dTex: Float32Array; dPos: Float32Array }[] = [];
  for (let r = 0; r < c.runs; r++) {
    const { dAttr, dRast } = interpolateBackward(ctx, attr, rast, tris, dy);
    const { dTex, dCoords } = textureBackward(ctx, tex, coords, texDy, { space: c.tex.space });
    const { dColor, dPos } = antialiasBackward(ctx, color, rast, pos, tris, dy);
    out.push({ dAttr: await dAttr.read(), dTex: await dTex.read(), dPos: await dPos.read() });
    for (const t of [dAttr, dRast, dTex, dCoords, dColor, dPos]) t.dispose();
  }
  const rastCpu = await rast.read();
  tris.dispose();
  const live = await finish(ctx, [pos, rast, attr, dy, color, tex, coords, texDy]);
  return { rast: rastCpu, runs: out, liveBuffers: live };
}
