import { Tensor, type KernelContext } from '@avatarme/kernels';
import type { TexturedMesh } from '../export/mesh.ts';
import type { FaceImage } from '../face/image.ts';
import type { FaceFit } from '../fit/face-fit.ts';
import type { ShFit } from '../fit/lighting.ts';
import {
  fitHeadToPhoto,
  headTexturedMesh,
  renderHeadOverlay,
  specularPriorForHead,
  unwrapHead,
} from '../head/index.ts';
import { rgbFloatToRgba, type RgbaImage } from '../image/codec.ts';
import { loadMorphableModel, type ModelFileReader } from '../morphable/load.ts';
import type { SpecularBlob } from '../reflectance/analytic.ts';
import { specularPriorForCanonicalFace } from '../reflectance/specular-prior.ts';
import type { OverlayResult, PhotoTensor } from '../render/overlay.ts';
import type { UnwrapResult } from '../unwrap/unwrap.ts';

/**
 * The shape the maps are made for: its mesh and UV layout, the unwrapped photo on that layout, the
 * fit's re-render against the photo, and where skin is shiny on that layout. Two kinds: the FaceMesh
 * canonical face (default) and a morphable head model (the ICT Face Model) fitted to the landmarks.
 */
export interface Surface {
  mesh: TexturedMesh;
  uv: UnwrapResult;
  overlay: { image: RgbaImage; rerender: PhotoTensor; psnr: number; lighting: ShFit };
  prior: SpecularBlob[];
  reprojection: { mean: number; max: number };
  /** Head-model figures for the report (absent on the FaceMesh path). */
  head?: Record<string, unknown>;
  dispose(): void;
}

export function faceSurface(fit: FaceFit, uv: UnwrapResult, overlay: OverlayResult): Surface {
  return {
    mesh: {
      positions: fit.mesh.positions,
      normals: fit.normals,
      uvs: fit.mesh.uvs,
      triangles: fit.mesh.triangles,
      metresPerUnit: 0.01,
    },
    uv,
    overlay: {
      image: overlay.overlay,
      rerender: overlay.rerender,
      psnr: overlay.psnr,
      lighting: overlay.lighting,
    },
    prior: specularPriorForCanonicalFace(),
    reprojection: fit.reprojection,
    // The re-render tensor belongs to the caller, who disposes it with the FaceMesh path's results.
    dispose: () => {},
  };
}

/**
 * Loads the morphable model (a directory URL, or a reader over files the user picked), fits it to the
 * landmarks and unwraps the photo onto its UVs.
 */
export async function headSurface(
  ctx: KernelContext,
  modelSource: string | ModelFileReader,
  landmarks: readonly (readonly [number, number, number])[],
  image: { width: number; height: number },
  photo: FaceImage,
  uvSize: number,
  report: (fraction: number, message: string) => void,
): Promise<Surface> {
  report(0.5, 'loading the head model');
  const model = await loadMorphableModel(modelSource);
  report(0.6, 'fitting identity and expression');
  const fit = await fitHeadToPhoto(ctx, model, landmarks, image);
  report(0.75, 'unwrapping onto the head');
  const uv = await unwrapHead(ctx, photo.tensor, fit, { uvSize });
  report(0.9, 'head re-render');
  const overlay = await renderHeadOverlay(ctx, await photo.tensor.read(), fit, uv);
  const rerender = Tensor.fromArray(
    ctx,
    overlay.rerender,
    [1, photo.height, photo.width, 3],
    'head.rerender',
  );
  const q = fit.quality;
  return {
    mesh: headTexturedMesh(fit),
    uv,
    overlay: {
      image: rgbFloatToRgba(overlay.overlay, photo.width, photo.height, 255),
      rerender: { tensor: rerender, width: photo.width, height: photo.height },
      psnr: overlay.psnr,
      lighting: overlay.lighting,
    },
    prior: specularPriorForHead(model),
    reprojection: { mean: q.fitted.meanPx, max: q.fitted.maxPx },
    head: {
      landmarks68: { rigidOnly: q.rigidOnly, fitted: q.fitted },
      maxAbsIdentityWeight: q.maxAbsIdentity,
      maxAbsExpressionWeight: q.maxAbsExpression,
      denseMatches: q.denseMatches,
      observedShare: uv.stats.observed / Math.max(1, uv.stats.layout),
      skinTone: uv.skinTone,
    },
    dispose: () => rerender.dispose(),
  };
}
