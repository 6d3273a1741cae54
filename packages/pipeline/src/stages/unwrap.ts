import { resize, slice, Tensor, type KernelContext } from '@avatarme/kernels';
import { renderOverlay, type OverlayResult, type PhotoTensor } from '../render/overlay.ts';
import type { ReconstructOptions } from '../reconstruct/types.ts';
import type { PosedSurface } from '../surface/surface.ts';
import type { IrisDisc } from '../unwrap/iris.ts';
import type { MouthContours } from '../unwrap/mouth-opening.ts';
import { unwrapSurface, type UnwrapResult } from '../unwrap/unwrap.ts';
import type { StageRunner } from './runner.ts';
import { upsampleTexture } from './upsample.ts';
import { MAX_SR_SIDE, surfaceCrop, surfaceInCrop } from '../unwrap/photo-crop.ts';

export interface Unwrapped {
  uv: UnwrapResult;
  /** The fit's re-render against the photo, its SH lighting and the overlay image. */
  overlay: OverlayResult;
  /** [1, S, S, 3] completed texture, model-space normals (0 between UV islands), [1, S, S, 1] coverage and visibility. */
  texture: Tensor;
  normals: Tensor;
  coverage: Tensor;
  visibility: Tensor;
  /** The photo was super-resolved before unwrapping (superResolution 'photo'): the maps are already at the upsampled size. */
  superResolved: boolean;
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
  options: Pick<
    ReconstructOptions,
    'completion' | 'superResolution' | 'upscale' | 'tile' | 'overlap' | 'assets' | 'signal'
  > & { irises?: readonly IrisDisc[]; mouth?: MouthContours } = {},
): Promise<Unwrapped> {
  const scale = options.upscale ?? 1;
  const superResolved = options.superResolution === 'photo' && scale > 1;
  let uv: UnwrapResult;
  if (superResolved) {
    // ESRGAN in its own domain: the photo's face crop, then unwrap at the upsampled size.
    const crop = surfaceCrop(surface);
    let cropped = slice(ctx, photo.tensor, [0, crop[1], crop[0], 0], [1, crop[3], crop[2], 3]);
    const shrink = Math.min(1, MAX_SR_SIDE / (scale * Math.max(crop[2], crop[3])));
    if (shrink < 1) {
      const [height, width] = [Math.floor(crop[3] * shrink), Math.floor(crop[2] * shrink)];
      const small = resize(ctx, cropped, { height, width, mode: 'bilinear', coordinates: 'half-pixel' });
      cropped.dispose();
      cropped = small;
    }
    const up = await upsampleTexture(ctx, cropped, scale, options, (f, m) =>
      run.report(0.4 * f, `super-resolving the ${crop[2]}×${crop[3]} face crop: ${m}`),
    );
    cropped.dispose();
    const inCrop = ([x, y]: readonly [number, number]) =>
      [((x - crop[0]) * up.texture.w) / crop[2], ((y - crop[1]) * up.texture.h) / crop[3]] as const;
    try {
      uv = await unwrapSurface(ctx, up.texture, surfaceInCrop(surface, crop, up.texture.w, up.texture.h), {
        uvSize: uvSize * scale,
        completion: options.completion,
        irises: options.irises?.map((e) => ({
          centre: [
            ((e.centre[0] - crop[0]) * up.texture.w) / crop[2],
            ((e.centre[1] - crop[1]) * up.texture.h) / crop[3],
          ],
          radius: (e.radius * up.texture.w) / crop[2],
        })),
        mouth: options.mouth && {
          inner: options.mouth.inner.map(inCrop),
          outer: options.mouth.outer.map(inCrop),
        },
      });
    } finally {
      up.dispose();
    }
    uvSize *= scale;
  } else
    uv = await unwrapSurface(ctx, photo.tensor, surface, {
      uvSize,
      completion: options.completion,
      irises: options.irises,
      mouth: options.mouth,
    });
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
    superResolved,
    dispose: () => {
      for (const t of Object.values(tensors)) t.dispose();
      overlay.rerender.tensor.dispose();
    },
  };
}
