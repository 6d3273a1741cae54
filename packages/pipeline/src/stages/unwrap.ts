import { Tensor, type KernelContext } from '@avatarme/kernels';
import { renderOverlay, type OverlayResult, type PhotoTensor } from '../render/overlay.ts';
import type { PosedSurface } from '../surface/surface.ts';
import { unwrapSurface, type UnwrapResult } from '../unwrap/unwrap.ts';
import type { StageRunner } from './runner.ts';

export interface Unwrapped {
  uv: UnwrapResult;
  /** The fit's re-render against the photo, its SH lighting and the overlay image. */
  overlay: OverlayResult;
  /** [1, S, S, 3] completed texture, model-space normals (0 between UV islands), [1, S, S, 1] coverage and visibility. */
  texture: Tensor;
  normals: Tensor;
  coverage: Tensor;
  visibility: Tensor;
  dispose(): void;
}

/** 1 where the UV layout has surface (a non-zero normal), 0 in the gaps between UV islands. */
function coverageOf(normalMap: Float32Array): Float32Array {
  const out = new Float32Array(normalMap.length / 3);
  for (let i = 0; i < out.length; i++)
    out[i] = normalMap[3 * i] ** 2 + normalMap[3 * i + 1] ** 2 + normalMap[3 * i + 2] ** 2 > 0.25 ? 1 : 0;
  return out;
}

/** The photo unwrapped onto the surface's UV layout and completed; the re-render and SH lighting. */
export async function unwrapStage(
  ctx: KernelContext,
  photo: PhotoTensor,
  surface: PosedSurface,
  uvSize: number,
  run: StageRunner,
): Promise<Unwrapped> {
  const uv = await unwrapSurface(ctx, photo.tensor, surface, { uvSize });
  run.report(0.6, 'lighting and re-render');
  const overlay = await renderOverlay(ctx, photo, surface, uv);
  const shape = (c: number): [number, number, number, number] => [1, uvSize, uvSize, c];
  const tensors = {
    texture: Tensor.fromArray(ctx, uv.texture, shape(3), 'uv_texture'),
    normals: Tensor.fromArray(ctx, uv.normalMap, shape(3), 'shape_normals'),
    coverage: Tensor.fromArray(ctx, coverageOf(uv.normalMap), shape(1), 'coverage'),
    visibility: Tensor.fromArray(ctx, uv.confidence, shape(1), 'visibility'),
  };
  return {
    uv,
    overlay,
    ...tensors,
    dispose: () => {
      for (const t of Object.values(tensors)) t.dispose();
      overlay.rerender.tensor.dispose();
    },
  };
}
