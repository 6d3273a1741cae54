import type { KernelContext } from '@avatarme/kernels';
import { fitHeadToPhoto, type HeadFit, type HeadFitOptions, type HeadGeometry } from '../head/fit.ts';
import { refineHeadPhotometric } from '../fit/photometric/head.ts';
import { headTexturedMesh } from '../head/export.ts';
import { turnEyeballs, type EyeTurn } from '../head/gaze.ts';
import { placeUpperTeeth, type TeethPlacement } from '../head/teeth.ts';
import { specularPriorForHead } from '../head/specular-prior.ts';
import { bundledHeadModelUrl } from '../morphable/bundled.ts';
import { loadMorphableModel, type ModelFileReader } from '../morphable/load.ts';
import { mouthContours } from '../unwrap/mouth-opening.ts';
import type { MorphableModel } from '../morphable/model.ts';
import type { CompletionRegion, PosedSurface, Rgb, SurfaceModel } from './surface.ts';

/** Width (cm) of the band around seen skin that push-pull blends into the fill; other parts use a share. */
const BLEND_BAND_CM = 2;

/**
 * The parts of the head the completion treats apart: skin takes the photo's de-shaded tone beyond its
 * band, cavities a darkened tone, the inside of the mouth and the eyes neutral colours (used only where
 * the photo shows none of them).
 */
const HEAD_REGIONS: (CompletionRegion & { modelRegions: string[] })[] = [
  {
    name: 'skin',
    modelRegions: ['face', 'head_and_neck'],
    band: BLEND_BAND_CM,
    fill: (tone) => tone,
    grain: true,
  },
  {
    name: 'sockets',
    modelRegions: ['mouth_socket', 'eye_socket_left', 'eye_socket_right'],
    band: 0.5 * BLEND_BAND_CM,
    fill: (tone) => tone.map((c) => c * 0.35) as Rgb,
  },
  {
    name: 'gums',
    modelRegions: ['gums_and_tongue'],
    band: 0.25 * BLEND_BAND_CM,
    fill: () => [0.62, 0.32, 0.32],
    insideMouth: true,
  },
  {
    name: 'teeth',
    modelRegions: ['teeth'],
    band: 0.25 * BLEND_BAND_CM,
    fill: () => [0.86, 0.82, 0.74],
    insideMouth: true,
  },
  ...['eyeball_left', 'eyeball_right'].map((region) => ({
    name: region,
    modelRegions: [region],
    band: 0.15 * BLEND_BAND_CM,
    fill: (): Rgb => [0.86, 0.84, 0.82], // sclera
    iris: true,
  })),
];

/** 1 for triangles whose three corners are flagged (> 0.999) [F]. */
function allCorners(triangles: Uint32Array, flags: Float32Array): Uint8Array {
  return Uint8Array.from({ length: triangles.length / 3 }, (_, t) =>
    flags[triangles[3 * t]] > 0.999 &&
    flags[triangles[3 * t + 1]] > 0.999 &&
    flags[triangles[3 * t + 2]] > 0.999
      ? 1
      : 0,
  );
}

/**
 * The head as a PosedSurface on the head atlas (head/atlas.ts): a fit to landmarks, or any weights and
 * pose (headGeometry; then there is no landmark error to report).
 */
export function headSurface(
  fit: HeadGeometry & Partial<HeadFit>,
  model: MorphableModel,
  eyes?: EyeTurn[],
  teeth?: TeethPlacement,
): PosedSurface {
  const top = fit.topology;
  const byModelRegion = top.regionNames.map(
    (name) => 1 + HEAD_REGIONS.findIndex((r) => r.modelRegions.includes(name)),
  );
  const tris = fit.mesh.triangles;
  const uvs = fit.mesh.uvs;
  const mirrorUvs = new Float32Array(uvs.length);
  fit.mirror.forEach((m, i) => mirrorUvs.set(uvs.subarray(2 * m, 2 * m + 2), 2 * i));
  const q = fit.quality;
  return {
    description: `ICT Face Model head (identity + expression fit; ${model.source.split(';')[0]})`,
    camera: fit.camera,
    angles: fit.angles,
    mesh: fit.mesh,
    normals: fit.normals,
    cameraPositions: fit.cameraPositions,
    cameraNormals: fit.cameraNormals,
    mirrorUvs,
    skinOfTriangle: allCorners(tris, fit.skin),
    occludableOfTriangle: allCorners(tris, fit.bareSkin),
    regionOfTriangle: top.regionOfTriangle.map((r) => byModelRegion[r]),
    regions: HEAD_REGIONS.map(({ modelRegions: _, ...region }) => region),
    cleanTaps: true,
    exportMesh: headTexturedMesh(fit),
    specularPrior: specularPriorForHead(model),
    reprojection: q ? { mean: q.fitted.meanPx, max: q.fitted.maxPx } : { mean: 0, max: 0 },
    report: q
      ? {
          landmarks68: { rigidOnly: q.rigidOnly, fitted: q.fitted },
          maxAbsIdentityWeight: q.maxAbsIdentity,
          maxAbsExpressionWeight: q.maxAbsExpression,
          denseMatches: q.denseMatches,
          mouth: { ...q.mouth, ...(teeth ? { teeth } : {}) },
          ...(eyes ? { eyes } : {}),
        }
      : {},
  };
}

const loaded = new Map<string, Promise<MorphableModel>>();

/**
 * The ICT head (identity and expression modes) fitted to the landmarks. `source`: a model folder URL
 * or a reader over a user's files; default the compact head shipped with this package. A folder URL's
 * model is loaded once and kept for later photos.
 */
export function headSurfaceModel(
  source: string | URL | ModelFileReader = bundledHeadModelUrl(),
  options: HeadFitOptions = {},
): SurfaceModel {
  const load = () => {
    if (typeof source === 'function') return loadMorphableModel(source);
    const key = String(source);
    let p = loaded.get(key);
    if (!p) {
      p = loadMorphableModel(source);
      loaded.set(key, p);
      p.catch(() => loaded.delete(key));
    }
    return p;
  };
  return {
    name: 'head',
    async fit(ctx: KernelContext, landmarks, image, report, photo, irises) {
      report?.(0.1, 'loading the head model');
      const model = await load();
      report?.(0.4, 'fitting identity and expression');
      const fit = await fitHeadToPhoto(ctx, model, landmarks, image, options);
      const method = options.method ?? 'photometric';
      // The eyeballs turn last: the photometric fit does not move them, and the unwrap reads the irises off them.
      // The upper teeth are placed before: both read the photo under the head's final camera.
      const { openness } = fit.quality.mouth;
      const teethPhoto =
        photo && openness > 0
          ? { pixels: await photo.tensor.read(), width: photo.width, height: photo.height }
          : undefined;
      const surfaceOf = (fitted: HeadGeometry & Partial<HeadFit>) => {
        const placed = teethPhoto
          ? placeUpperTeeth(fitted, model, teethPhoto, mouthContours(landmarks), openness)
          : { head: fitted };
        const head = { ...fitted, ...placed.head };
        if (!irises?.length) return headSurface(head, model, undefined, placed.placement);
        const turned = turnEyeballs(head, irises);
        return headSurface({ ...head, ...turned.head }, model, turned.turns, placed.placement);
      };
      if (method === 'landmarks' || !photo) return surfaceOf(fit);
      const refined = await refineHeadPhotometric(ctx, model, fit, photo, {
        identity: method === 'photometric-identity' ? { modelsUrl: options.humanModels } : undefined,
        onProgress: (p) =>
          report?.(0.5 + (0.5 * p.iteration) / p.total, `photometric fit ${p.iteration}/${p.total}`),
      });
      const surface = surfaceOf(refined);
      return { ...surface, report: { ...surface.report, photometric: refined.photometric } };
    },
  };
}
