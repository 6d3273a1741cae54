import { interpolate, rasterize, Tensor, texture, Triangles, type KernelContext } from '@avatarme/kernels';
import { clipPositions, depthRangeOf } from '../fit/camera.ts';
import { fitShLighting, linearToSrgb, type ShFit } from '../fit/lighting.ts';
import { shBasis } from '../lighting/sh.ts';
import { composite, psnr } from '../render/quality.ts';
import { TexelSource } from '../unwrap/texels.ts';
import type { UnwrapResult } from '../unwrap/unwrap.ts';
import type { HeadGeometry } from './fit.ts';

/** Pixels of the head that face the camera by at least this cosine count as visible (as render/overlay.ts). */
const VISIBLE_FACING = 0.15;

/** The fitted head seen through the photo's camera; images RGB [H·W·3], masks [H·W]. */
export interface HeadRender {
  /** The UV texture on the fitted head (0 off the head). */
  textured: Float32Array;
  /** A grey-blue albedo × the fitted SH shading of the normals, sRGB: the geometry alone. */
  shading: Float32Array;
  coverage: Float32Array;
  /** Share of the texture samples at each pixel that were observed in the photo (not completed). */
  observed: Float32Array;
  facing: Float32Array;
}

export interface HeadOverlay {
  render: HeadRender;
  lighting: ShFit;
  /** The photo with the shaded head over it at 60% opacity (judge the fit by eye) [H·W·3]. */
  overlay: Float32Array;
  /** The photo with the textured head composited over it [H·W·3]. */
  rerender: Float32Array;
  /** PSNR (dB) of the textured head against the photo where it faces the camera and was observed. */
  psnr: number;
  visiblePixels: number;
}

/**
 * Renders the fitted head with its UV texture into the photo's camera (z-buffered raster, bilinear
 * texture), and a shading render of its normals under `sh` (27 SH coefficients, model-space normals).
 */
export async function renderHead(
  ctx: KernelContext,
  fit: HeadGeometry,
  uv: Pick<UnwrapResult, 'texture' | 'source' | 'size'>,
  sh: Float32Array,
): Promise<HeadRender> {
  const { width, height } = fit.camera;
  const vertices = fit.mesh.positions.length / 3;
  const tris = Triangles.create(ctx, fit.mesh.triangles, vertices, 'renderHead.triangles');
  const clip = clipPositions(fit.camera, fit.cameraPositions, depthRangeOf(fit.cameraPositions));
  const pos = Tensor.fromArray(ctx, clip, [vertices, 1, 1, 4], 'renderHead.clip');
  const attr = new Float32Array(vertices * 6);
  for (let i = 0; i < vertices; i++) {
    attr.set(fit.mesh.uvs.subarray(2 * i, 2 * i + 2), 6 * i);
    attr.set(fit.normals.subarray(3 * i, 3 * i + 3), 6 * i + 2);
    attr[6 * i + 5] = fit.cameraNormals[3 * i + 2];
  }
  const texels = uv.size * uv.size;
  const rgbo = new Float32Array(texels * 4);
  for (let i = 0; i < texels; i++) {
    rgbo.set(uv.texture.subarray(3 * i, 3 * i + 3), 4 * i);
    rgbo[4 * i + 3] = uv.source[i] === TexelSource.observed ? 1 : 0;
  }
  const attrT = Tensor.fromArray(ctx, attr, [vertices, 1, 1, 6], 'renderHead.attributes');
  const tex = Tensor.fromArray(ctx, rgbo, [1, uv.size, uv.size, 4], 'renderHead.texture');
  const rast = rasterize(ctx, pos, tris, { width, height, label: 'renderHead.raster' });
  const pixAttr = interpolate(ctx, attrT, rast, tris, 'renderHead.attributes');
  const colour = texture(ctx, tex, pixAttr, {
    space: 'uv',
    filter: 'bilinear',
    mask: rast,
    label: 'renderHead.texture',
  });
  const [rastData, attrData, sampled] = await Promise.all([rast.read(), pixAttr.read(), colour.read()]);
  for (const t of [pos, attrT, tex, rast, pixAttr, colour]) t.dispose();
  tris.dispose();

  const pixels = width * height;
  const out: HeadRender = {
    textured: new Float32Array(pixels * 3),
    shading: new Float32Array(pixels * 3),
    coverage: new Float32Array(pixels),
    observed: new Float32Array(pixels),
    facing: new Float32Array(pixels),
  };
  // Not a skin colour, so that the model stands out from the face in the overlay.
  const albedo = [0.3, 0.34, 0.42];
  const basis = new Float64Array(9);
  for (let p = 0; p < pixels; p++) {
    if (rastData[4 * p + 3] === 0) continue;
    out.coverage[p] = 1;
    out.textured.set(sampled.subarray(4 * p, 4 * p + 3), 3 * p);
    out.observed[p] = sampled[4 * p + 3];
    const [nx, ny, nz] = [attrData[6 * p + 2], attrData[6 * p + 3], attrData[6 * p + 4]];
    const len = Math.hypot(nx, ny, nz) || 1;
    out.facing[p] = Math.max(0, -attrData[6 * p + 5] / len);
    shBasis(nx / len, ny / len, nz / len, basis);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 9; k++) s += sh[9 * c + k] * basis[k];
      out.shading[3 * p + c] = linearToSrgb(albedo[c] * s);
    }
  }
  return out;
}

/**
 * The head's overlay and re-render against the photo: SH lighting fitted on the observed skin texels,
 * then renderHead; PSNR over the pixels the head faces and whose texture was observed (the fill of
 * unseen regions is a guess, not a reconstruction to score). photoRgb: the photo [H·W·3].
 */
export async function renderHeadOverlay(
  ctx: KernelContext,
  photoRgb: Float32Array,
  fit: HeadGeometry,
  uv: UnwrapResult,
): Promise<HeadOverlay> {
  const lighting = fitShLighting(uv.observed, uv.normalMap, uv.skinConfidence);
  const render = await renderHead(ctx, fit, uv, lighting.coefficients);
  const visible = render.facing.map((f, p) => (f >= VISIBLE_FACING && render.observed[p] > 0.99 ? 1 : 0));
  return {
    render,
    lighting,
    overlay: composite(photoRgb, render.shading, render.coverage, 0.6),
    rerender: composite(photoRgb, render.textured, render.coverage),
    psnr: psnr(render.textured, photoRgb, visible),
    visiblePixels: visible.reduce((a, b) => a + b, 0),
  };
}
