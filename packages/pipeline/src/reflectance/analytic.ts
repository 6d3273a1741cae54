import { KernelContext, KernelError, Tensor } from '@avatarme/kernels';
import passOne from './analytic.wgsl?raw';
import detailPass from './detail-normals.wgsl?raw';
import { padIslands } from './edge-pad.ts';
import { mesostructureGate } from './scale.ts';

/** A Gaussian bump of the specular prior: centre and radius in UV units, amplitude added to the base. */
export interface SpecularBlob {
  u: number;
  v: number;
  radius: number;
  amplitude: number;
  /** GGX α of the region at its centre (reflectance/roughness.ts); absent: the face's base roughness. */
  roughness?: number;
}

export interface AnalyticInputs {
  /** UV texture, sRGB in [0, 1], [1, H, W, 3]. */
  texture: Tensor;
  /** 1 where the layout covers the texel, [1, H, W, 1]. */
  mask: Tensor;
  /**
   * De-lighting as a ratio: diffuse albedo ÷ texture per channel in linear colour, [1, H, W, 3]
   * (delight.ts, computed at the unwrap's size and resized with the texture).
   */
  ratio: Tensor;
  /** Specular albedo, [1, H, W, 1] (specular.ts). */
  specular: Tensor;
  /** Millimetres on the face per texel of these maps (cheek, nose and chin; from the position map). */
  mmPerTexel: number;
  /** Typical linear luminance of the skin's albedo (normalises the height field's contrast). */
  skinLuminance: number;
}

export interface AnalyticOptions {
  /** Specular albedo outside the layout. */
  outsideSpecular?: number;
  /** Upper end of the mesostructure band (mm): the specular normals' detail is L − blur(L) at this σ. */
  mesostructureMm?: number;
  /** Height (mm) per unit of relative luminance contrast in that band (an assumption, not a measurement). */
  depthMm?: number;
  /** Diffuse normals are the specular normals low-passed at this σ (mm): subsurface scattering's reach. */
  diffuseBlurMm?: number;
}

export interface ReflectanceTensors {
  diffuseAlbedo: Tensor; // sRGB [0,1], 3 ch
  specularAlbedo: Tensor; // [0,1], 1 ch
  diffuseNormals: Tensor; // tangent space, encoded [0,1], 3 ch
  specularNormals: Tensor; // tangent space, encoded [0,1], 3 ch
}

export const ANALYTIC_DEFAULTS: Required<AnalyticOptions> = {
  outsideSpecular: 0.1,
  mesostructureMm: 1,
  depthMm: 0.5,
  diffuseBlurMm: 1.5,
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
  const shaded = analyticShadingPass(ctx, inp, o);
  const { luminance } = shaded;
  // Edge padding: a texel outside the layout holds the lit texture (and a constant specular), and a
  // renderer's bilinear tap at an island's edge reads it — a dark line along every UV seam. Filled
  // from each island's own rim, then push-pull (both keep the layout's texels bit-identical).
  const diffuseAlbedo = padIslands(ctx, shaded.diffuseAlbedo, inp.mask);
  const specularAlbedo = padIslands(ctx, shaded.specularAlbedo, inp.mask);
  for (const t of [shaded.diffuseAlbedo, shaded.specularAlbedo]) t.dispose();
  // Specular normals: the de-lit albedo's luminance in the mesostructure band read as a height field
  // in millimetres, where the maps resolve that band (else flat: the shape's normals alone). Diffuse
  // normals: the same surface seen through subsurface scattering, a low-pass of the specular normals
  // (Ma et al. 2007).
  const mm = inp.mmPerTexel;
  const strength = (mesostructureGate(mm) * o.depthMm) / (Math.max(inp.skinLuminance, 1e-3) * mm);
  const band = blur(ctx, luminance, { sigma: Math.max(0.5, o.mesostructureMm / mm) });
  const specularNormals = detailNormals(ctx, luminance, band, strength, 'specular_normals');
  const diffuseNormals = blur(ctx, specularNormals, { sigma: Math.max(0.25, o.diffuseBlurMm / mm) });
  for (const t of [luminance, band]) t.dispose();
  return { diffuseAlbedo, specularAlbedo, diffuseNormals, specularNormals };
}

/** Pass 1: de-lit albedo (texture × ratio), the specular albedo inside the layout, and the albedo's linear luminance. */
export function analyticShadingPass(
  ctx: KernelContext,
  inp: Pick<AnalyticInputs, 'texture' | 'mask' | 'ratio' | 'specular'>,
  o: Pick<Required<AnalyticOptions>, 'outsideSpecular'>,
): { diffuseAlbedo: Tensor; specularAlbedo: Tensor; luminance: Tensor } {
  const [, h, w] = inp.texture.shape;
  for (const [name, t, c] of [
    ['mask', inp.mask, 1],
    ['ratio', inp.ratio, 3],
    ['specular', inp.specular, 1],
  ] as const) {
    if (t.h !== h || t.w !== w || t.c !== c) {
      throw new KernelError(
        'analyticReflectance',
        `${name} [${t.shape.join(', ')}] does not match texture [1, ${h}, ${w}, ${c}]`,
      );
    }
  }
  const diffuseAlbedo = Tensor.empty(ctx, [1, h, w, 3], 'diffuse_albedo');
  const specularAlbedo = Tensor.empty(ctx, [1, h, w, 1], 'specular_albedo');
  const luminance = Tensor.empty(ctx, [1, h, w, 1], 'albedo_luminance');
  ctx.dispatch(
    ctx.program('analytic-reflectance', passOne),
    {
      texture: inp.texture,
      ratio: inp.ratio,
      mask: inp.mask,
      specular_in: inp.specular,
      albedo: diffuseAlbedo,
      specular: specularAlbedo,
      luminance,
      u: { width: w, height: h, outside_specular: o.outsideSpecular },
    },
    [Math.ceil(w / 8), Math.ceil(h / 8), 1],
  );
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
