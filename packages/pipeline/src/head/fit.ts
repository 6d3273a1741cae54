import type { KernelContext } from '@avatarme/kernels';
import { headAngles, type WeakPerspectiveCamera } from '../fit/camera.ts';
import type { FaceMesh } from '../mesh/face-mesh.ts';
import { vertexNormals } from '../mesh/normals.ts';
import { refineWithDensePoints } from '../morphable/dense.ts';
import { faceMeshTo68 } from '../morphable/facemesh68.ts';
import { fitToLandmarks, type FitOptions, type LandmarkFit } from '../morphable/fit.ts';
import { residentMorphableModelGpu, type MorphableModelGpu } from '../morphable/gpu.ts';
import {
  innerLipGap68,
  lipGap,
  mouthOpenness,
  openMouthExpressionSigma,
  openMouthWeights,
} from '../morphable/mouth-open.ts';
import { contourWeights } from '../morphable/visibility.ts';
import type { MorphableModel } from '../morphable/model.ts';
import { projectPoints, transformPoints, type Pose } from '../morphable/pose.ts';
import { landmarkError, type LandmarkError } from '../morphable/quality.ts';
import { gatherPositions } from '../morphable/uv-mesh.ts';
import type { HeadMeshTopology } from './atlas.ts';
import { prepareHead } from './prepare.ts';

/**
 * The landmark fit's settings for photos (FaceMesh points), measured on eval-style renders of
 * procedural heads with known shape (tools/src/bench/fit-photos.ts, subjects the evaluation does not
 * draw): FaceMesh's 68 points sit 4–5 px (eyes, nose, lips) and ~10 px (visible jaw line) from where
 * the true head's landmark vertices project in a 256² photo, mostly systematically, so the noise σ is
 * 8 px, not the 2 px of an ideal detector. Expression weights stay in the blend shapes' own range
 * [0, 1] with a tight prior (σ 0.2): identity and expression both move the landmarks, and without it
 * the fit explained the detector's offsets by expressions on neutral faces (shape error 0.99 mm
 * against 0.55 mm for the mean head on the default eval subjects, most of it from expression).
 */
export const PHOTO_FIT_OPTIONS: FitOptions = { sigmaPx: 8, expressionSigma: 0.2, expressionRange: [0, 1] };

export type HeadLandmarks = readonly (readonly [number, number, number])[];

export interface HeadFitOptions {
  /** Refine the 68-landmark fit with all 468 FaceMesh points matched to the face (default true). */
  dense?: boolean;
  /** Options of the least-squares fit (noise σ, priors, bound |w| ≤ 3 …). */
  fit?: FitOptions;
  /** The model's modes already on the GPU (reuse across photos); created and disposed here otherwise. */
  gpuModel?: MorphableModelGpu;
  /**
   * 'photometric' (the surface model's default): refine the landmark fit on the photo's pixels
   * (fit/photometric/head.ts); 'photometric-identity': with FaceRes' identity loss as well;
   * 'landmarks': the landmark fit alone.
   */
  method?: 'landmarks' | 'photometric' | 'photometric-identity';
  /** Folder of the face networks (FaceRes for the identity loss); default face/models.ts HUMAN_MODELS_URL. */
  humanModels?: string;
}

/** The figures issue 10 asks for: landmark reprojection after the fit against the rigid-only fit. */
export interface HeadFitQuality {
  /** Pose of the neutral head only. */
  rigidOnly: LandmarkError;
  /** Pose + identity + expression from the 68 landmarks. */
  landmarks: LandmarkError;
  /** The fit used (after dense refinement when enabled). */
  fitted: LandmarkError;
  maxAbsIdentity: number;
  maxAbsExpression: number;
  /** FaceMesh points matched to a face vertex by the dense refinement (0 without it). */
  denseMatches: number;
  mouth: MouthFit;
}

/** How open the photo's mouth is and how open the fitted head's (morphable/mouth-open.ts). */
export interface MouthFit {
  /** FaceMesh's inner-lip gap over the inter-ocular distance (lipGap). */
  lipGap: number;
  /** 0 closed … 1 open (mouthOpenness): how much the inner-lip weights changed. */
  openness: number;
  /** Mean gap between the facing inner-lip landmarks, pixels: the photo's 68 points and the fitted head's. */
  photoPx: number;
  fittedPx: number;
  /** After a photometric refit: the landmark fit's fittedPx, which the refit started from. */
  landmarkFitPx?: number;
}

/**
 * The ICT head posed in a photo (what a fit produces, or any weights and pose). The mesh is the head atlas mesh (atlas.ts: face, scalp and neck,
 * eye and mouth sockets, gums and tongue, teeth, eyeballs) with UV seams split; positions are in model
 * space (centimetres, y up, z towards the viewer) and, through `camera`, in the photo's camera frame:
 * camera point = scale · R · model point + translation, x, y pixels (v down), z away from the camera —
 * the weak-perspective convention of fit/camera.ts.
 */
export interface HeadGeometry {
  camera: WeakPerspectiveCamera;
  angles: { yaw: number; pitch: number; roll: number };
  identity: Float64Array;
  expression: Float64Array;
  /** Model space positions, atlas UVs (v down), triangles over the split vertices. */
  mesh: FaceMesh;
  topology: HeadMeshTopology;
  /** Unit model-space vertex normals (seams share their model vertex's normal) [N·3]. */
  normals: Float32Array;
  cameraPositions: Float32Array;
  cameraNormals: Float32Array;
  /** Mirror image of each split vertex across the symmetry plane [N]. */
  mirror: Uint32Array;
  /** 1 on core-skin vertices (skin.ts: cheeks, nose, chin), 0 elsewhere [N]. */
  skin: Float32Array;
  /** 1 wherever the head should show bare skin (forehead, scalp, ears, neck; not brows, eyes, lips) [N]. */
  bareSkin: Float32Array;
  /** Where the head puts its 68 landmark vertices in the photo [68·2]. */
  projected68: Float64Array;
}

/** The ICT head fitted to a photo's landmarks. */
export interface HeadFit extends HeadGeometry {
  /** The 68 landmarks fitted to (from FaceMesh) [68·2]. */
  landmarks68: Float64Array;
  /** Every 2-D point the fit solved for (model vertex, photo position, weight): landmarks, then dense matches. */
  targets: { vertices: ArrayLike<number>; points: Float64Array; weights: ArrayLike<number> };
  quality: HeadFitQuality;
}

function flatten(landmarks: HeadLandmarks): Float64Array {
  if (landmarks.length < 468) {
    throw new RangeError(`fitHeadToPhoto: ${landmarks.length} landmarks, FaceMesh gives 468`);
  }
  const out = new Float64Array(468 * 3);
  for (let i = 0; i < 468; i++) {
    if (!landmarks[i].every(Number.isFinite))
      throw new RangeError(`fitHeadToPhoto: landmark ${i} is not finite: [${landmarks[i].join(', ')}]`);
    out.set(landmarks[i], 3 * i);
  }
  return out;
}

function rotate(rotation: ArrayLike<number>, v: Float32Array): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i += 3)
    for (let k = 0; k < 3; k++)
      out[i + k] = rotation[3 * k] * v[i] + rotation[3 * k + 1] * v[i + 1] + rotation[3 * k + 2] * v[i + 2];
  return out;
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/** The head fit's weights, pose and the points it solved for (fitHeadWeights). */
export interface HeadWeightsFit {
  /** Pose of the neutral head only. */
  rigid: LandmarkFit;
  /** Pose + identity + expression from the 68 landmarks. */
  byLandmarks: LandmarkFit;
  /** The fit used (after dense refinement when enabled). */
  fit: LandmarkFit;
  /** The 68 landmarks fitted to (from FaceMesh) [68·2]. */
  landmarks68: Float64Array;
  targets: HeadFit['targets'];
  denseMatches: number;
  /** The photo's lip gap and how open the fit took the mouth to be. */
  mouth: Pick<MouthFit, 'lipGap' | 'openness'>;
}

/**
 * The CPU half of fitHeadToPhoto: FaceMesh → 68 multi-PIE points, the rigid pose of the neutral head
 * (for the quality figure), then pose + identity + expression by regularised least squares
 * (morphable/fit.ts, |w| ≤ 3) with landmarks on the side the rigid pose turns away down-weighted
 * (morphable/visibility.ts), then optionally a refit with the 468 points matched to the nearest face
 * vertices (morphable/dense.ts), weighted the same way. When the photo's lips are apart, the inner-lip
 * landmarks weigh more, FaceMesh's inner-lip loop is not matched and the expression prior loosens
 * (morphable/mouth-open.ts), so the fitted mouth opens; closed lips get the plain fit.
 */
export function fitHeadWeights(
  model: MorphableModel,
  landmarks: HeadLandmarks,
  options: Pick<HeadFitOptions, 'dense' | 'fit'> = {},
): HeadWeightsFit {
  const points = flatten(landmarks);
  const lm3 = faceMeshTo68(points, 3);
  const lm2 = new Float64Array(68 * 2);
  const depth = new Float64Array(68);
  for (let i = 0; i < 68; i++) [lm2[2 * i], lm2[2 * i + 1], depth[i]] = lm3.subarray(3 * i, 3 * i + 3);
  const gap = lipGap(points);
  const openness = mouthOpenness(gap);
  const given = { ...PHOTO_FIT_OPTIONS, ...options.fit };
  const fitOptions = {
    ...given,
    expressionSigma: openMouthExpressionSigma(given.expressionSigma ?? 1, openness),
  };
  const mouthWeights = openMouthWeights(openness);
  const rigid = fitToLandmarks(model, lm2, { ...fitOptions, depth, rigidOnly: true });
  // Jaw-line landmarks the rigid pose shows turned away (the far side of a turned head) barely count.
  const weights = contourWeights(model, rigid.pose).map((w, i) => w * mouthWeights.landmarks[i]);
  const byLandmarks = fitToLandmarks(model, lm2, { ...fitOptions, depth, weights });
  let fit: LandmarkFit = byLandmarks;
  let targets: HeadFit['targets'] = { vertices: Uint32Array.from(model.landmarks), points: lm2, weights };
  let denseMatches = 0;
  if (options.dense ?? true) {
    const refined = refineWithDensePoints(model, byLandmarks, lm2, points, {
      ...fitOptions,
      visibility: true,
      landmarkWeights: mouthWeights.landmarks,
      pointWeights: mouthWeights.dense,
    });
    fit = refined.fit;
    targets = refined.targets;
    denseMatches = refined.correspondence.reduce((n, v) => n + (v >= 0 ? 1 : 0), 0);
  }
  return {
    rigid,
    byLandmarks,
    fit,
    landmarks68: lm2,
    targets,
    denseMatches,
    mouth: { lipGap: gap, openness },
  };
}

/**
 * Fits the ICT head to FaceMesh's 468 landmarks ([x, y, z] image pixels): the weights and pose by
 * fitHeadWeights, then the fitted shape evaluated on the GPU (MorphableModelGpu: 26,719 × 3 by 153
 * modes) as the head atlas mesh.
 */
export async function fitHeadToPhoto(
  ctx: KernelContext,
  model: MorphableModel,
  landmarks: HeadLandmarks,
  image: { width: number; height: number },
  options: HeadFitOptions = {},
): Promise<HeadFit> {
  const { rigid, byLandmarks, fit, landmarks68, targets, denseMatches, mouth } = fitHeadWeights(
    model,
    landmarks,
    options,
  );
  const head = await headGeometry(ctx, model, fit, image, options.gpuModel);
  return {
    ...head,
    landmarks68,
    targets,
    quality: {
      rigidOnly: landmarkError(rigid.projected, landmarks68),
      landmarks: landmarkError(byLandmarks.projected, landmarks68),
      fitted: landmarkError(head.projected68, landmarks68),
      maxAbsIdentity: maxAbs(fit.identity),
      maxAbsExpression: maxAbs(fit.expression),
      denseMatches,
      mouth: { ...mouth, photoPx: innerLipGap68(landmarks68), fittedPx: innerLipGap68(head.projected68) },
    },
  };
}

/**
 * The head mesh for given weights and pose: the shape evaluated on the GPU (the given MorphableModelGpu,
 * else the model's kept on the device: residentMorphableModelGpu), normals on the model's vertices
 * (so UV seams do not show), the atlas mesh in model space and in the photo's camera frame.
 */
export async function headGeometry(
  ctx: KernelContext,
  model: MorphableModel,
  weights: { identity: ArrayLike<number>; expression: ArrayLike<number>; pose: Pose },
  image: { width: number; height: number },
  gpuModel?: MorphableModelGpu,
): Promise<HeadGeometry> {
  const lease = gpuModel ? undefined : await residentMorphableModelGpu(ctx.device, model);
  let shape: Float32Array;
  try {
    const shapeT = (gpuModel ?? lease!.value).evaluate(weights.identity, weights.expression);
    shape = await shapeT.read();
    shapeT.dispose();
  } finally {
    lease?.release();
  }

  const { topology, mirror, skin, bareSkin } = prepareHead(model);
  const modelNormals = vertexNormals(shape, topology.modelTriangles);
  const positions = gatherPositions(shape, topology.sourceVertex);
  const normals = gatherPositions(modelNormals, topology.sourceVertex);
  const { pose } = weights;
  const camera: WeakPerspectiveCamera = { ...pose, width: image.width, height: image.height };
  return {
    camera,
    angles: headAngles(camera),
    identity: Float64Array.from(weights.identity),
    expression: Float64Array.from(weights.expression),
    mesh: { positions, uvs: topology.uvs, triangles: topology.triangles },
    topology,
    normals,
    cameraPositions: Float32Array.from(transformPoints(pose, positions)),
    cameraNormals: rotate(pose.rotation, normals),
    mirror,
    skin,
    bareSkin,
    projected68: projectPoints(pose, extract(shape, model.landmarks)),
  };
}

function extract(shape: Float32Array, ids: ArrayLike<number>): Float32Array {
  const out = new Float32Array(ids.length * 3);
  for (let i = 0; i < ids.length; i++) out.set(shape.subarray(3 * ids[i], 3 * ids[i] + 3), 3 * i);
  return out;
}
