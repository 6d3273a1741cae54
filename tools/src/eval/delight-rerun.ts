import { delight, type DelightResult } from '@avatarme/pipeline/reflectance/delight.ts';
import { refineSkinAlbedo } from '@avatarme/pipeline/reflectance/skin-albedo.ts';
import { TexelSource } from '@avatarme/pipeline/unwrap/texels.ts';
import type { DelightInputsDump } from './page/delight-inputs.gpu.ts';

/**
 * The analytic backend's de-lighting re-run in Node on what a diagnostics dump holds, as
 * analytic-inputs.ts' delightUnwrap runs it in the page: delight, then the skin's refinement.
 */
export function delightFromDump(d: DelightInputsDump): {
  result: DelightResult;
  refined: ReturnType<typeof refineSkinAlbedo>;
} {
  const result = delight({
    size: d.size,
    texture: d.texture,
    observed: d.observed,
    confidence: d.confidence,
    skinWeight: d.skinConfidence,
    normals: d.normals,
    visibility: d.visibility,
    source: d.source,
    mirrorOf: d.mirrorOf,
    filled: d.filled,
    separable: d.separable,
    skinTone: d.skinTone,
    neutral: d.neutral,
    positions: d.positions,
  });
  const refined = refineSkinAlbedo(
    d.size,
    result,
    d.texture,
    Uint8Array.from(d.separable, (v, i) => (v && d.source[i] !== TexelSource.outside ? 1 : 0)),
    d.bare,
  );
  return { result, refined };
}
