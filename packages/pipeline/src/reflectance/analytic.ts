import { KernelContext, KernelError, Tensor } from '@avatarme/kernels';
import { shShade } from '../lighting/sh.ts';
import passOne from './analytic.wgsl?raw';
import detailPass from './detail-normals.wgsl?raw';

/** A Gaussian bump of the specular prior: centre and radius in UV units, amplitude added to the base. */
export interface SpecularBlob {
  u: number;
  v: number;
  radius: number;
  amplitude: number;
}

export interface AnalyticInputs {
  /** UV texture, sRGB in [0, 1], [1, H, W, 3]. */
  texture: Tensor;
  /** Object-space unit normals of the shape in UV space, [1, H, W, 3]. */
  normals: Tensor;
  /** 1 where the face covers the texel, [1, H, W, 1]. */
  mask: Tensor;
  /**
   * SH shading to divide out: 27 coefficients, channel-major (see lighting/sh.ts), linear colour,
   * normalised so that its mean over the skin is 1 (normaliseShading), so the albedo keeps the
   * texture's mean colour and only the shading's variation is removed.
   */
  sh: Float32Array;
  prior: SpecularBlob[];
}

export interface AnalyticOptions {
  /** Shading below this is clamped before dividing (avoids exploding albedo in shadow). */
  minShading?: number;
  baseSpecular?: number;
  outsideSpecular?: number;
  /** High-pass scale of the specular normals, in texels at 512² (scaled with the map size). */
  detailSigma?: number;
  specularStrength?: number;
  diffuseStrength?: number;
}

export interface ReflectanceTensors {
  diffuseAlbedo: Tensor; // sRGB [0,1], 3 ch
  specularAlbedo: Tensor; // [0,1], 1 ch
  diffuseNormals: Tensor; // tangent space, encoded [0,1], 3 ch
  specularNormals: Tensor; // tangent space, encoded [0,1], 3 ch
}

export const ANALYTIC_DEFAULTS: Required<AnalyticOptions> = {
  minShading: 0.35,
  baseSpecular: 0.25,
  outsideSpecular: 0.1,
  detailSigma: 2,
  specularStrength: 8,
  diffuseStrength: 4,
};

type Blur = (ctx: KernelContext, x: Tensor, o: { sigma: number }) => Tensor;

/**
 * The `analytic` reflectance backend: no weights. See the package README for the model and sources.
 * `blur` is the kernels' Gaussian blur (passed in so this module stays testable on its own).
 */
export function analyticReflectance(
  ctx: KernelContext,
  inp: AnalyticInputs,
  blur: Blur,
  options: AnalyticOptions = {},
): ReflectanceTensors {
  const o = { ...ANALYTIC_DEFAULTS, ...options };
  const { diffuseAlbedo, specularAlbedo, luminance } = analyticShadingPass(ctx, inp, o);
  // Specular normals: luminance minus its blur (fine detail). Diffuse normals: the same detail seen
  // through subsurface scattering — blurred further and weaker (Ma et al. 2007).
  const sigma = o.detailSigma * Math.max(1, luminance.w / 512);
  const fine = blur(ctx, luminance, { sigma });
  const specularNormals = detailNormals(ctx, luminance, fine, o.specularStrength, 'specular_normals');
  const soft = blur(ctx, luminance, { sigma: sigma * 0.75 });
  const softer = blur(ctx, luminance, { sigma: sigma * 2.5 });
  const diffuseNormals = detailNormals(ctx, soft, softer, o.diffuseStrength, 'diffuse_normals');
  for (const t of [luminance, fine, soft, softer]) t.dispose();
  return { diffuseAlbedo, specularAlbedo, diffuseNormals, specularNormals };
}

/** Pass 1: de-lit albedo, specular albedo and the albedo's linear luminance. */
export function analyticShadingPass(
  ctx: KernelContext,
  inp: AnalyticInputs,
  o: Pick<Required<AnalyticOptions>, 'minShading' | 'baseSpecular' | 'outsideSpecular'>,
): { diffuseAlbedo: Tensor; specularAlbedo: Tensor; luminance: Tensor } {
  const [, h, w] = inp.texture.shape;
  for (const [name, t, c] of [
    ['normals', inp.normals, 3],
    ['mask', inp.mask, 1],
  ] as const) {
    if (t.h !== h || t.w !== w || t.c !== c) {
      throw new KernelError(
        'analyticReflectance',
        `${name} [${t.shape.join(', ')}] does not match texture [1, ${h}, ${w}, ${c}]`,
      );
    }
  }
  if (inp.sh.length !== 27)
    throw new KernelError('analyticReflectance', `sh has ${inp.sh.length} coefficients, expected 27`);
  const shBuf = upload(ctx, padTo(inp.sh, 28), 'analytic.sh');
  const blobData = new Float32Array(Math.max(1, inp.prior.length) * 4);
  inp.prior.forEach((b, i) => blobData.set([b.u, b.v, b.radius, b.amplitude], i * 4));
  const blobBuf = upload(ctx, blobData, 'analytic.blobs');
  const diffuseAlbedo = Tensor.empty(ctx, [1, h, w, 3], 'diffuse_albedo');
  const specularAlbedo = Tensor.empty(ctx, [1, h, w, 1], 'specular_albedo');
  const luminance = Tensor.empty(ctx, [1, h, w, 1], 'albedo_luminance');
  ctx.dispatch(
    ctx.program('analytic-reflectance', passOne),
    {
      texture: inp.texture,
      normals: inp.normals,
      mask: inp.mask,
      sh: shBuf,
      blobs: blobBuf,
      albedo: diffuseAlbedo,
      specular: specularAlbedo,
      luminance,
      u: {
        width: w,
        height: h,
        blob_count: inp.prior.length,
        min_shading: o.minShading,
        base_specular: o.baseSpecular,
        outside_specular: o.outsideSpecular,
      },
    },
    [Math.ceil(w / 8), Math.ceil(h / 8), 1],
  );
  ctx.flush();
  // Safe right after submission: the queue finishes the dispatch before the buffers go.
  shBuf.destroy();
  blobBuf.destroy();
  return { diffuseAlbedo, specularAlbedo, luminance };
}

/** Pass 2: tangent-space normals from the height field strength · (lum − blurred). */
export function detailNormals(
  ctx: KernelContext,
  lum: Tensor,
  blurred: Tensor,
  strength: number,
  label = 'detail_normals',
): Tensor {
  const out = Tensor.empty(ctx, [1, lum.h, lum.w, 3], label);
  ctx.dispatch(
    ctx.program('detail-normals', detailPass),
    { luminance: lum, blurred, normals: out, u: { width: lum.w, height: lum.h, strength } },
    [Math.ceil(lum.w / 8), Math.ceil(lum.h / 8), 1],
  );
  return out;
}

function padTo(a: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  out.set(a);
  return out;
}

function upload(ctx: KernelContext, data: Float32Array, label: string): GPUBuffer {
  const buf = ctx.device.createBuffer({
    label,
    size: data.byteLength,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  });
  ctx.device.queue.writeBuffer(buf, 0, data as Float32Array<ArrayBuffer>);
  return buf;
}

/**
 * Scales fitted SH coefficients so the shading they give averages 1 per channel over the weighted
 * texels. A fit on radiance folds the mean albedo into the coefficients (radiance ≈ albedo · E(n)
 * with albedo unknown): dividing by the raw fit would make every channel's albedo average 1, i.e.
 * grey-white skin. Dividing by the normalised shading removes the shading's variation only.
 */
export function normaliseShading(
  sh: Float32Array,
  normals: Float32Array,
  weights: ArrayLike<number>,
): Float32Array {
  const sums = [0, 0, 0];
  let wsum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(w > 0)) continue;
    const [x, y, z] = [normals[3 * i], normals[3 * i + 1], normals[3 * i + 2]];
    for (let c = 0; c < 3; c++) sums[c] += w * shShade(sh, x, y, z, 9 * c);
    wsum += w;
  }
  const out = new Float32Array(27);
  for (let c = 0; c < 3; c++) {
    const mean = wsum > 0 ? sums[c] / wsum : 1;
    const k = mean > 1e-6 ? 1 / mean : 1;
    for (let j = 0; j < 9; j++) out[9 * c + j] = sh[9 * c + j] * k;
  }
  return out;
}
