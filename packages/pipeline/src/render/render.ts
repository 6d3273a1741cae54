import { interpolate, rasterize, Tensor, texture, Triangles, type KernelContext } from '@avatarme/kernels';
import { shBasis } from '../lighting/sh.ts';
import { clipPositions, depthRangeOf } from '../fit/camera.ts';
import { linearToSrgb } from '../math/colour.ts';
import type { PosedSurface } from '../surface/surface.ts';
import { TexelSource } from '../unwrap/texels.ts';
import type { UnwrapResult } from '../unwrap/unwrap.ts';

export interface RenderOptions {
  /** Fitted SH lighting (27 coefficients, channel-major, linear colour, model-space normals). */
  sh?: Float32Array;
  /** Albedo of the shading render, linear RGB (default a grey-blue that stands out from skin in the overlay). */
  albedo?: [number, number, number];
}

/** The fitted surface seen through the photo's camera; images are RGB [H·W·3], masks [H·W]. */
export interface SurfaceRender {
  width: number;
  height: number;
  /** The UV texture mapped onto the fitted surface (the texture holds the photo's lit colours), 0 off it. */
  textured: Float32Array;
  /** Albedo × SH shading of the fitted normals, sRGB; only with `sh`. */
  shading?: Float32Array;
  /** 1 where the surface covers the pixel. */
  coverage: Float32Array;
  /** Share of the texture samples at each pixel that were observed in the photo (not completed). */
  observed: Float32Array;
  /** Cosine between the surface normal and the direction to the camera (0 off the surface). */
  facing: Float32Array;
}

/**
 * Re-renders a fitted surface into the photo's camera: rasterise (z-buffer), interpolate UVs and
 * normals, sample the UV texture bilinearly (with the observed share of its taps); with SH
 * coefficients, also a shading render of the normals.
 */
export async function renderSurface(
  ctx: KernelContext,
  surface: PosedSurface,
  uv: Pick<UnwrapResult, 'texture' | 'source' | 'size'>,
  opts: RenderOptions = {},
): Promise<SurfaceRender> {
  const { width, height } = surface.camera;
  const mesh = surface.mesh;
  const vertices = mesh.positions.length / 3;
  const tris = Triangles.create(ctx, mesh.triangles, vertices, 'render.triangles');
  const clip = clipPositions(surface.camera, surface.cameraPositions, depthRangeOf(surface.cameraPositions));
  const pos = Tensor.fromArray(ctx, clip, [vertices, 1, 1, 4], 'render.clip');
  const attr = new Float32Array(vertices * 6);
  for (let i = 0; i < vertices; i++) {
    attr.set(mesh.uvs.subarray(2 * i, 2 * i + 2), 6 * i);
    attr.set(surface.normals.subarray(3 * i, 3 * i + 3), 6 * i + 2);
    attr[6 * i + 5] = surface.cameraNormals[3 * i + 2];
  }
  const texels = uv.size * uv.size;
  const rgbo = new Float32Array(texels * 4);
  for (let i = 0; i < texels; i++) {
    rgbo.set(uv.texture.subarray(3 * i, 3 * i + 3), 4 * i);
    rgbo[4 * i + 3] = uv.source[i] === TexelSource.observed ? 1 : 0;
  }
  const attrT = Tensor.fromArray(ctx, attr, [vertices, 1, 1, 6], 'render.attributes');
  const tex = Tensor.fromArray(ctx, rgbo, [1, uv.size, uv.size, 4], 'render.texture');
  const rast = rasterize(ctx, pos, tris, { width, height, label: 'render.raster' });
  const pixAttr = interpolate(ctx, attrT, rast, tris, 'render.attributes');
  const colour = texture(ctx, tex, pixAttr, {
    space: 'uv',
    filter: 'bilinear',
    mask: rast,
    label: 'render.texture',
  });
  const [rastData, attrData, sampled] = await Promise.all([rast.read(), pixAttr.read(), colour.read()]);
  for (const t of [pos, attrT, tex, rast, pixAttr, colour]) t.dispose();
  tris.dispose();

  const pixels = width * height;
  const out: SurfaceRender = {
    width,
    height,
    textured: new Float32Array(pixels * 3),
    shading: opts.sh ? new Float32Array(pixels * 3) : undefined,
    coverage: new Float32Array(pixels),
    observed: new Float32Array(pixels),
    facing: new Float32Array(pixels),
  };
  const albedo = opts.albedo ?? [0.3, 0.34, 0.42];
  const basis = new Float64Array(9);
  for (let p = 0; p < pixels; p++) {
    if (rastData[4 * p + 3] === 0) continue;
    out.coverage[p] = 1;
    out.textured.set(sampled.subarray(4 * p, 4 * p + 3), 3 * p);
    out.observed[p] = sampled[4 * p + 3];
    const [nx, ny, nz] = [attrData[6 * p + 2], attrData[6 * p + 3], attrData[6 * p + 4]];
    const len = Math.hypot(nx, ny, nz) || 1;
    // Camera-frame normal z over the same length (rotation keeps lengths): facing = −n_z.
    out.facing[p] = Math.max(0, -attrData[6 * p + 5] / len);
    if (!out.shading || !opts.sh) continue;
    shBasis(nx / len, ny / len, nz / len, basis);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 9; k++) s += opts.sh[9 * c + k] * basis[k];
      out.shading[3 * p + c] = linearToSrgb(albedo[c] * s);
    }
  }
  return out;
}
