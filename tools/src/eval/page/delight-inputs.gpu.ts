/**
 * Page side of `tools/src/eval/albedo-diagnostics.ts`: runs reconstruct's stages on an evaluation
 * photo up to the unwrap (same options as the eval's "ours") and returns what the analytic backend's
 * de-lighting reads, with the subject's true albedo on the same UV layout, so the de-lighting can be
 * re-run and scored per texel class in Node.
 */
import { KernelContext } from '@avatarme/kernels';
import { modelAssets } from '@avatarme/pipeline/reconstruct/model-base.ts';
import type { ReconstructOptions } from '@avatarme/pipeline/reconstruct/types.ts';
import { layoutTexels } from '@avatarme/pipeline/reflectance/layout-texels.ts';
import {
  bareSkinTexels,
  hairTexels,
  scleraTexels,
  skinRegionTexels,
} from '@avatarme/pipeline/reflectance/analytic-inputs.ts';
import type { SpecularBlob } from '@avatarme/pipeline/reflectance/analytic.ts';
import { viewDirection } from '@avatarme/pipeline/reflectance/specular.ts';
import { photoUnwrap } from '@avatarme/pipeline/stages/photo-unwrap.ts';
import { StageRunner } from '@avatarme/pipeline/stages/runner.ts';
import { readSubjectGlb } from '../gltf.ts';
import { srgbToLinear } from '@avatarme/pipeline/math/colour.ts';
import { interpolate, rasteriseUv } from '../uv-raster.ts';
import { cachedReader } from './eval.gpu.ts';

export interface DelightInputsDump {
  size: number;
  texture: Float32Array;
  observed: Float32Array;
  confidence: Float32Array;
  skinConfidence: Float32Array;
  normals: Float32Array;
  positions: Float32Array;
  visibility: Float32Array;
  source: Uint8Array;
  mirrorOf: Int32Array;
  filled: Uint8Array;
  separable: Uint8Array;
  /** Bare skin (the albedo's contrast shrink acts there; not brows, eyelids, lips) [S·S]; absent in older dumps. */
  bare?: Uint8Array;
  neutral: Uint8Array;
  skinTone: number[];
  /** Surface region (1-based index into regionNames) per texel, 0 outside [S·S]. */
  region: Uint8Array;
  regionNames: string[];
  /** The subject's diffuse albedo, linear, box-averaged onto the S² grid [S·S·3]. */
  truth: Float32Array;
  /** 1 where the subject's face region covers the texel (the eval's metric region) [S·S]. */
  face: Float32Array;
  /** What the specular step reads besides the de-lighting: hair texels [S·S], the surface's prior, the view. */
  hair: Uint8Array;
  specularPrior: SpecularBlob[];
  view: number[];
  /** The subject's specular strength (renderer's a_s) and GGX α, box-averaged onto the S² grid [S·S]. */
  truthSpecular: Float32Array;
  truthAlpha: Float32Array;
}

export async function delightInputs(
  device: GPUDevice,
  a: { photo: Uint8Array; subject: Uint8Array; file: string; modelUrl: string; uvSize: number },
): Promise<DelightInputsDump> {
  const options: ReconstructOptions = {
    uvSize: a.uvSize,
    faceModel: cachedReader(a.modelUrl),
    name: a.file,
  };
  const opts = { ...options, assets: modelAssets(options) };
  const ctx = new KernelContext(device);
  const run = new StageRunner(opts);
  const stages = await photoUnwrap(ctx, a.photo, opts, run).catch((e) => {
    ctx.dispose();
    throw e;
  });
  try {
    const { surface, unwrapped } = stages;
    const uv = unwrapped.uv;
    const S = uv.size;
    const layout = await layoutTexels(ctx, surface, S);
    const region = Uint8Array.from(layout.triangle, (t) => (t >= 0 ? surface.regionOfTriangle[t] : 0));
    const subject = await readSubjectGlb(a.subject, a.file);
    const truth = boxAverage(subject.maps.diffuseAlbedo, S, [0, 1, 2], srgbToLinear);
    const truthSpecular = boxAverage(subject.maps.specularAlbedo, S, [0], (v) => v);
    // glTF's green is perceptual roughness √α.
    const truthAlpha = boxAverage(subject.maps.roughness!, S, [1], (v) => v * v);
    const raster = rasteriseUv(subject.mesh.uvs, subject.mesh.triangles, S);
    const face = interpolate(raster, subject.mesh.triangles, subject.faceVertices, 1).map((f) =>
      f > 0.5 ? 1 : 0,
    );
    return {
      size: S,
      texture: uv.texture,
      observed: uv.observed,
      confidence: uv.confidence,
      skinConfidence: uv.skinConfidence,
      normals: uv.normalMap,
      positions: uv.positionMap,
      visibility: layout.visibility,
      source: uv.source,
      mirrorOf: layout.mirrorOf,
      filled: uv.filledMask,
      separable: skinRegionTexels(layout, surface),
      bare: bareSkinTexels(layout, surface),
      neutral: scleraTexels(layout, surface) ?? new Uint8Array(S * S),
      skinTone: [...uv.skinTone],
      region,
      regionNames: surface.regions.map((r) => r.name),
      truth,
      face,
      hair: hairTexels(uv, layout, surface),
      specularPrior: surface.specularPrior,
      view: viewDirection(surface.normals, surface.cameraNormals),
      truthSpecular,
      truthAlpha,
    };
  } finally {
    await stages.dispose();
    ctx.dispose();
  }
}

/** An 8-bit map's channels, decoded per sample, averaged over the boxes of an S² grid [S·S·channels]. */
function boxAverage(
  img: { width: number; height: number; data: Uint8ClampedArray },
  S: number,
  channels: number[],
  decode: (v: number) => number,
): Float32Array {
  const out = new Float32Array(S * S * channels.length);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const x0 = Math.floor((x * img.width) / S);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * img.width) / S));
      const y0 = Math.floor((y * img.height) / S);
      const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * img.height) / S));
      const n = (x1 - x0) * (y1 - y0);
      channels.forEach((c, k) => {
        let s = 0;
        for (let yy = y0; yy < y1; yy++)
          for (let xx = x0; xx < x1; xx++) s += decode(img.data[4 * (yy * img.width + xx) + c] / 255);
        out[channels.length * (y * S + x) + k] = s / n;
      });
    }
  return out;
}
