import { KernelContext } from '@avatarme/kernels';
import { encodePng } from '../image/codec.ts';
import { photoUnwrap } from '../stages/photo-unwrap.ts';
import { StageRunner } from '../stages/runner.ts';
import { TexelSource } from '../unwrap/texels.ts';
import { albedoToSrgb } from './delight.ts';
import { legacyDelight, normaliseShading, shadingR2 } from './figures.ts';
import { layoutTexels } from './layout-texels.ts';
import {
  delightSeen,
  delightUnwrap,
  scleraTexels,
  skinRegionTexels,
  specularFromDelight,
} from './analytic-inputs.ts';

function png(size: number, rgb: Float32Array): Promise<Uint8Array> {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    for (let c = 0; c < 3; c++) data[4 * i + c] = rgb[3 * i + c] * 255;
    data[4 * i + 3] = 255;
  }
  return encodePng({ width: size, height: size, data });
}

/** Weighted variance of linear albedo [N·3] over the texels, pooled over the channels (R²'s denominator). */
function albedoVariance(albedo: Float32Array, weights: ArrayLike<number>): number {
  const mean = [0, 0, 0];
  let w = 0;
  for (let i = 0; i < weights.length; i++)
    if (weights[i] > 0) {
      for (let c = 0; c < 3; c++) mean[c] += weights[i] * albedo[3 * i + c];
      w += weights[i];
    }
  let v = 0;
  for (let i = 0; i < weights.length; i++)
    if (weights[i] > 0) for (let c = 0; c < 3; c++) v += weights[i] * (albedo[3 * i + c] - mean[c] / w) ** 2;
  return w > 0 ? v / (3 * w) : 0;
}

/**
 * De-lighting figures on one photo: the previous de-lighting and delight.ts on the same unwrap —
 * share of layout texels at a clamp, and R² of an SH fit of the linear albedo to the shape normals
 * over the seen skin — with both albedos and the separated highlights as PNGs.
 */
export async function delightFigures(device: GPUDevice, a: { bytes: Uint8Array; uvSize: number }) {
  const ctx = new KernelContext(device);
  const run = new StageRunner({});
  const stages = await photoUnwrap(ctx, a.bytes, { uvSize: a.uvSize }, run).catch((e) => {
    ctx.dispose();
    throw e;
  });
  try {
    const { surface, unwrapped } = stages;
    const uv = unwrapped.uv;
    const S = uv.size;
    const layout = await layoutTexels(ctx, surface, S);
    const inLayout = Uint8Array.from(uv.source, (s) => (s === TexelSource.outside ? 0 : 1));
    const sh = normaliseShading(unwrapped.overlay.lighting.coefficients, uv.normalMap, uv.skinConfidence);
    const before = legacyDelight(uv.texture, uv.normalMap, inLayout, sh);
    const after = delightUnwrap(uv, layout, surface);
    const unrefined = delightSeen(
      uv,
      layout,
      skinRegionTexels(layout, surface),
      scleraTexels(layout, surface),
    );
    const spec = specularFromDelight(uv, layout, surface, after);
    let [specSum, specN, hairN] = [0, 0, 0];
    for (let i = 0; i < S * S; i++) {
      if (uv.skinConfidence[i] > 0) [specSum, specN] = [specSum + spec.specular[i], specN + 1];
      hairN += spec.hair[i];
    }
    const highlight = new Float32Array(S * S * 3);
    after.highlight.forEach((m, i) => highlight.fill(Math.min(1, 4 * m), 3 * i, 3 * i + 3));
    const result = {
      size: S,
      before: {
        clampedShare: before.clampedShare,
        floorShare: before.floorShare,
        rangeShare: before.rangeShare,
        r2: shadingR2(before.albedo, uv.normalMap, uv.skinConfidence),
        r2Layout: shadingR2(before.albedo, uv.normalMap, inLayout),
      },
      after: {
        clampedShare: after.stats.clampedShare,
        r2: shadingR2(after.albedo, uv.normalMap, uv.skinConfidence),
        r2Layout: shadingR2(after.albedo, uv.normalMap, inLayout),
        variance: albedoVariance(after.albedo, uv.skinConfidence),
        unrefined: {
          r2: shadingR2(unrefined.albedo, uv.normalMap, uv.skinConfidence),
          variance: albedoVariance(unrefined.albedo, uv.skinConfidence),
        },
        stats: after.stats,
        beta: after.lighting.beta,
        sigma: after.lighting.sigma,
        illuminant: after.illuminant,
        sclera: after.neutralIlluminant ?? null,
        highlightLight: after.highlightIlluminant ?? null,
        level: after.level,
        specular: { meanOnSkin: specSum / Math.max(1, specN), hairTexels: hairN, ...spec.stats },
      },
      images: {
        before: await png(S, albedoToSrgb(before.albedo)),
        after: await png(S, albedoToSrgb(after.albedo)),
        highlights: await png(S, highlight),
        texture: await png(S, uv.texture),
      },
    };
    return result;
  } finally {
    await stages.dispose();
    ctx.dispose();
  }
}
