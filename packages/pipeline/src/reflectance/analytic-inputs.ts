import { resize, Tensor, type KernelContext } from '@avatarme/kernels';
import { luminance, srgbToLinear } from '../math/colour.ts';
import { completeAlbedo } from '../unwrap/complete-albedo.ts';
import type { UnwrapResult } from '../unwrap/unwrap.ts';
import type { PosedSurface } from '../surface/surface.ts';
import { TexelSource } from '../unwrap/texels.ts';
import type { AnalyticInputs } from './analytic.ts';
import { refineSkinAlbedo } from './skin-albedo.ts';
import { delight, type DelightResult } from './delight.ts';
import { mmPerTexel } from './scale.ts';
import { hairCoverage } from './hair-coverage.ts';
import { layoutTexels, type LayoutTexels } from './layout-texels.ts';
import { specularAlbedo, viewDirection } from './specular.ts';

export interface PreparedAnalytic {
  inputs: AnalyticInputs;
  delit: DelightResult;
  dispose(): void;
}

/**
 * Texels that may hold the brows' hair (how much of each does is read from the photo by
 * hairCoverage): the face's non-skin texels at brow height (between the prior's nose-bridge and forehead bumps, the second and third of
 * specularPriorForCanonicalFace's list, carried onto every surface) and no wider than the cheek bumps
 * (the last two) apart, with a fifth to spare. The unwrap's occluders are not used: on dark skin the
 * occluder mask also marks bare skin, and hair's strength on skin is a larger error than skin's on
 * hair.
 */
export function hairTexels(
  uv: Pick<UnwrapResult, 'size' | 'positionMap'>,
  layout: LayoutTexels,
  surface: Pick<
    PosedSurface,
    'skinOfTriangle' | 'occludableOfTriangle' | 'regionOfTriangle' | 'regions' | 'specularPrior'
  >,
): Uint8Array {
  const { size } = uv;
  const prior = surface.specularPrior;
  if (prior.length < 5) return new Uint8Array(size * size);
  const at = (u: number, v: number, k: number) => {
    const i = Math.min(size - 1, Math.floor(v * size)) * size + Math.min(size - 1, Math.floor(u * size));
    return uv.positionMap[3 * i + k];
  };
  const [bridge, forehead] = [at(prior[1].u, prior[1].v, 1), at(prior[2].u, prior[2].v, 1)];
  const centre = at(prior[1].u, prior[1].v, 0);
  const cheeks = prior.slice(-2).map((b) => Math.abs(at(b.u, b.v, 0) - centre));
  const halfWidth = 1.2 * Math.max(...cheeks);
  const out = new Uint8Array(size * size);
  const skinRegion = 1 + surface.regions.findIndex((r) => r.name === 'skin');
  for (let i = 0; i < size * size; i++) {
    const y = uv.positionMap[3 * i + 1];
    const t = layout.triangle[i];
    if (t < 0 || surface.skinOfTriangle[t] || surface.occludableOfTriangle[t]) continue;
    if (skinRegion > 0 && surface.regionOfTriangle[t] !== skinRegion) continue;
    if (y > bridge && y < forehead && Math.abs(uv.positionMap[3 * i] - centre) < halfWidth) out[i] = 1;
  }
  return out;
}

/** 1 on texels of the surface's skin region ('skin' on the head, the whole 'face' on FaceMesh). */
export function skinRegionTexels(
  layout: LayoutTexels,
  surface: Pick<PosedSurface, 'regionOfTriangle' | 'regions'>,
): Uint8Array {
  const region = 1 + surface.regions.findIndex((r) => r.name === 'skin' || r.name === 'face');
  return Uint8Array.from(layout.triangle, (t) => (t >= 0 && surface.regionOfTriangle[t] === region ? 1 : 0));
}

/** 1 on the eyeballs' texels (the head's 'eyeball_left' / 'eyeball_right' regions); undefined on surfaces without eyes. */
export function scleraTexels(
  layout: LayoutTexels,
  surface: Pick<PosedSurface, 'regionOfTriangle' | 'regions'>,
): Uint8Array | undefined {
  const ids = surface.regions.map((r, k) => (r.name.startsWith('eyeball') ? k + 1 : 0)).filter((k) => k > 0);
  if (!ids.length) return undefined;
  return Uint8Array.from(layout.triangle, (t) =>
    t >= 0 && ids.includes(surface.regionOfTriangle[t]) ? 1 : 0,
  );
}

/**
 * 1 on the texels of bare skin (the surface's lighting-fit skin and what should show bare skin:
 * forehead, cheeks, scalp, ears, neck), 0 on brows, eyes, nostrils, lips and off the layout.
 */
export function bareSkinTexels(
  layout: LayoutTexels,
  surface: Pick<PosedSurface, 'skinOfTriangle' | 'occludableOfTriangle'>,
): Uint8Array {
  return Uint8Array.from(layout.triangle, (t) =>
    t >= 0 && (surface.skinOfTriangle[t] || surface.occludableOfTriangle[t]) ? 1 : 0,
  );
}

/**
 * delight.ts on what the unwrap saw, with the layout's visibility and mirror texels; highlights are
 * separated on the skin region's texels (skinRegionTexels), the eyeballs are the neutral references.
 * The skin's albedo then loses dark skin's sheen, and bare skin keeps only the share of its local
 * contrast that skin's own albedo can explain against the fit's residual (shrinkAlbedoContrast); brows,
 * eyelids, nostrils and lips keep theirs: their contrast is the albedo's, far above bare skin's, and
 * it is what a face is recognised by. Their ratio follows.
 */
export function delightUnwrap(
  uv: UnwrapResult,
  layout: LayoutTexels,
  surface: Pick<PosedSurface, 'skinOfTriangle' | 'occludableOfTriangle' | 'regionOfTriangle' | 'regions'>,
): DelightResult {
  const separable = skinRegionTexels(layout, surface);
  const r = delightSeen(uv, layout, separable, scleraTexels(layout, surface));
  const skin = Uint8Array.from(separable, (v, i) => (v && uv.source[i] !== TexelSource.outside ? 1 : 0));
  // What an occluder covered was bare skin, the brows' band under a fringe included: rebuilt from the
  // seen skin like the rest. Left to the push-pull, the band's texels under the fringe's edge kept a
  // colour pulled from skin lit otherwise, a darker line once de-lit.
  const bare = bareSkinTexels(layout, surface).map((v, i) => (v || uv.occluded[i] ? 1 : 0));
  refineSkinAlbedo(uv.size, r, uv.texture, skin, bare, {
    texels: Uint8Array.from(uv.source, (s) => (s === TexelSource.inpainted ? 1 : 0)),
    positions: uv.positionMap,
  });
  return r;
}

/** delight.ts alone on what the unwrap saw (delightUnwrap without the skin's refinement). */
export function delightSeen(
  uv: UnwrapResult,
  layout: LayoutTexels,
  separable: Uint8Array,
  neutral?: Uint8Array,
): DelightResult {
  return delight({
    size: uv.size,
    texture: uv.texture,
    observed: uv.observed,
    confidence: uv.confidence,
    skinWeight: uv.skinConfidence,
    normals: uv.normalMap,
    visibility: layout.visibility,
    source: uv.source,
    mirrorOf: layout.mirrorOf,
    filled: uv.filledMask,
    separable,
    skinTone: uv.skinTone,
    neutral,
    positions: uv.positionMap,
  });
}

/** specular.ts on the de-lit unwrap: the separated highlights as evidence on the surface's prior. */
export function specularFromDelight(
  uv: UnwrapResult,
  layout: LayoutTexels,
  surface: PosedSurface,
  delit: DelightResult,
): ReturnType<typeof specularAlbedo> & { hair: Float32Array } {
  const separable = skinRegionTexels(layout, surface);
  const { coverage: hair } = hairCoverage(
    uv.size,
    uv.texture,
    hairTexels(uv, layout, surface),
    delit.lighting.weights,
    delit.shading,
  );
  const result = specularAlbedo({
    size: uv.size,
    highlight: delit.highlight,
    // Evidence only where a highlight could be separated (skin, lips).
    confidence: uv.confidence.map((c, i) => (separable[i] ? c : 0)),
    skinWeight: delit.lighting.weights,
    normals: uv.normalMap,
    hair,
    layout: Uint8Array.from(uv.source, (s) => (s === TexelSource.outside ? 0 : 1)),
    mirrorOf: layout.mirrorOf,
    prior: surface.specularPrior,
    light: delit.lighting.coefficients,
    view: viewDirection(surface.normals, surface.cameraNormals),
  });
  return { ...result, hair };
}

/**
 * The analytic backend's inputs at the maps' size N: the de-lighting ratio and the specular albedo,
 * computed at the unwrap's size S from what the photo showed (delight.ts, specular.ts) and resized
 * with the texture when it was upsampled.
 */
export async function prepareAnalyticInputs(
  ctx: KernelContext,
  maps: { size: number; texture: Tensor; mask: Tensor },
  uv: UnwrapResult,
  surface: PosedSurface,
  options: {
    completion?: 'exemplar' | 'push-pull';
    /**
     * Called after each step (layout, delight, completion, specular) with its name: the stage's
     * timings. Awaited: a caller may submit GPU work there to run while the next step (de-lighting,
     * on the CPU) goes on.
     */
    onStep?: (step: string) => void | Promise<void>;
  } = {},
): Promise<PreparedAnalytic> {
  const S = uv.size;
  const onStep = options.onStep ?? (() => {});
  const layout = await layoutTexels(ctx, surface, S);
  await onStep('layout');
  const delit = delightUnwrap(uv, layout, surface);
  onStep('delight');
  if (options.completion === 'exemplar') {
    // Completion in albedo space: the texels the photo showed, de-lit, are the exemplars and the
    // Dirichlet data; what delight carried over from the completed texture is only the start.
    const done = await completeAlbedo(ctx, {
      size: S,
      albedo: delit.albedo,
      observedMask: delit.delit,
      mirror: uv.mirrorTexel,
      regions: uv.exemplarClasses,
      initial: delit.albedo,
    });
    for (let i = 0; i < S * S; i++) {
      if (delit.delit[i] || uv.source[i] === TexelSource.outside) continue;
      for (let c = 0; c < 3; c++) {
        const a = Math.min(1, Math.max(0, done.albedo[3 * i + c]));
        delit.albedo[3 * i + c] = a;
        delit.ratio[3 * i + c] = Math.max(a, 1e-4) / Math.max(srgbToLinear(uv.texture[3 * i + c]), 1e-4);
      }
    }
  }
  if (options.completion === 'exemplar') onStep('completion');
  const { specular } = specularFromDelight(uv, layout, surface, delit);
  onStep('specular');
  const lum: number[] = [];
  for (let i = 0; i < S * S; i++)
    if (delit.lighting.weights[i] > 0)
      lum.push(luminance(delit.albedo[3 * i], delit.albedo[3 * i + 1], delit.albedo[3 * i + 2]));
  lum.sort((a, b) => a - b);
  const N = maps.size;
  const toSize = (data: Float32Array, c: number, label: string) => {
    const t = Tensor.fromArray(ctx, data, [1, S, S, c], label);
    if (N === S) return t;
    const r = resize(ctx, t, { height: N, width: N, mode: 'bilinear', coordinates: 'half-pixel' });
    t.dispose();
    return r;
  };
  const ratio = toSize(delit.ratio, 3, 'delight.ratio');
  const spec = toSize(specular, 1, 'specular.prepared');
  return {
    inputs: {
      texture: maps.texture,
      mask: maps.mask,
      ratio,
      specular: spec,
      mmPerTexel:
        (mmPerTexel(S, uv.positionMap, uv.skinConfidence, surface.exportMesh.metresPerUnit) * S) / N,
      skinLuminance: lum.length ? lum[lum.length >> 1] : 0.3,
    },
    delit,
    dispose: () => {
      ratio.dispose();
      spec.dispose();
    },
  };
}
