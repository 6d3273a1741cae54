import { interpolate, rasterize, Tensor, texture, Triangles, type KernelContext } from '@avatarme/kernels';
import { shBasis } from '../lighting/sh.ts';
import { clipPositions, depthRangeOf } from '../fit/camera.ts';
import type { FaceFit } from '../fit/face-fit.ts';
import { linearToSrgb } from '../fit/lighting.ts';

export interface RenderOptions {
  /** Fitted SH lighting (27 coefficients, channel-major, linear colour, model-space normals). */
  sh?: Float32Array;
  /** Albedo of the shading render, linear RGB (default a mid skin tone). */
  albedo?: [number, number, number];
}

/** The fitted face seen through the photo's camera; images are RGB [H·W·3], masks [H·W]. */
export interface FaceRender {
  width: number;
  height: number;
  /** The texture mapped onto the fitted surface (the texture holds the photo's lit colours), 0 off the face. */
  textured: Float32Array;
  /** Albedo × SH shading of the fitted normals, sRGB; only with `sh`. */
  shading?: Float32Array;
  /** 1 where the face covers the pixel. */
  coverage: Float32Array;
  /** Cosine between the surface normal and the direction to the camera (0 off the face). */
  facing: Float32Array;
}

/**
 * Re-renders the fitted face into the photo's camera: rasterise (z-buffer), interpolate UVs and
 * normals, sample the UV texture [1, S, S, 3] bilinearly; with SH coefficients, also a shading render.
 */
export async function renderFace(
  ctx: KernelContext,
  fit: FaceFit,
  uvTexture: Tensor,
  opts: RenderOptions = {},
): Promise<FaceRender> {
  const { width, height } = fit.camera;
  const mesh = fit.mesh;
  const vertices = mesh.positions.length / 3;
  const tris = Triangles.create(ctx, mesh.triangles, vertices, 'render.triangles');
  const clip = clipPositions(fit.camera, fit.cameraPositions, depthRangeOf(fit.cameraPositions));
  const pos = Tensor.fromArray(ctx, clip, [vertices, 1, 1, 4], 'render.clip');
  const attr = new Float32Array(vertices * 6);
  for (let i = 0; i < vertices; i++) {
    attr.set(mesh.uvs.subarray(2 * i, 2 * i + 2), 6 * i);
    attr.set(fit.normals.subarray(3 * i, 3 * i + 3), 6 * i + 2);
    attr[6 * i + 5] = fit.cameraNormals[3 * i + 2];
  }
  const attrT = Tensor.fromArray(ctx, attr, [vertices, 1, 1, 6], 'render.attributes');
  const rast = rasterize(ctx, pos, tris, { width, height, label: 'render.raster' });
  const pixAttr = interpolate(ctx, attrT, rast, tris, 'render.attributes');
  const colour = texture(ctx, uvTexture, pixAttr, {
    space: 'uv',
    filter: 'bilinear',
    mask: rast,
    label: 'render.texture',
  });
  const [rastData, attrData, textured] = await Promise.all([rast.read(), pixAttr.read(), colour.read()]);
  for (const t of [pos, attrT, rast, pixAttr, colour]) t.dispose();
  tris.dispose();

  const pixels = width * height;
  const coverage = new Float32Array(pixels);
  const facing = new Float32Array(pixels);
  const shading = opts.sh ? new Float32Array(pixels * 3) : undefined;
  const albedo = opts.albedo ?? [0.45, 0.3, 0.25];
  const basis = new Float64Array(9);
  for (let p = 0; p < pixels; p++) {
    if (rastData[4 * p + 3] === 0) continue;
    coverage[p] = 1;
    const [nx, ny, nz] = [attrData[6 * p + 2], attrData[6 * p + 3], attrData[6 * p + 4]];
    const len = Math.hypot(nx, ny, nz) || 1;
    // Camera-frame normal z over the same length (rotation keeps lengths): facing = −n_z.
    facing[p] = Math.max(0, -attrData[6 * p + 5] / len);
    if (!shading || !opts.sh) continue;
    shBasis(nx / len, ny / len, nz / len, basis);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 9; k++) s += opts.sh[9 * c + k] * basis[k];
      shading[3 * p + c] = linearToSrgb(albedo[c] * s);
    }
  }
  return { width, height, textured, shading, coverage, facing };
}
