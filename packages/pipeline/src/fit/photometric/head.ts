import type { KernelContext } from '@avatarme/kernels';
import type { FaceImage } from '../../face/image.ts';
import { headGeometry, PHOTO_FIT_OPTIONS, type HeadFit } from '../../head/fit.ts';
import { prepareHead } from '../../head/prepare.ts';
import type { MorphableModel } from '../../morphable/model.ts';
import { innerLipGap68 } from '../../morphable/mouth-open.ts';
import { transformPoints, type Pose } from '../../morphable/pose.ts';
import { choleskySolve } from '../../math/linalg.ts';
import { landmarkError } from '../../morphable/quality.ts';
import { faceResIdentityLoss, landmarkCropBox } from './identity.ts';
import { photoSkinWeights } from './photo-skin.ts';
import { projectVertices, type PerspectiveCamera } from './geometry.ts';
import { blendShape, fitAbs, type AbsModel, type AbsOptions, type AbsParams } from './optimise.ts';

/** Albedo texture size of the head fit (a correction at this resolution, smooth by construction). */
const ALBEDO_SIZE = 32;

/**
 * Default schedule: light and albedo alone at 64 px, then geometry with them at 64 and 128 px; 40
 * renders, so a head fit takes seconds on SwiftShader. Half as many geometry renders stopped the fit
 * part-way (on the eval, turned photos' shape and identity below the landmark fit's).
 */
export const HEAD_ABS_LEVELS = [
  { size: 64, iterations: 8, geometry: false },
  { size: 64, iterations: 16 },
  { size: 128, iterations: 16 },
];

/**
 * Weights of the photometric and identity terms against the landmark fit's negative log-likelihood.
 */
export const HEAD_ABS_WEIGHTS = { photometric: 1000, identity: 30 };

const models = new WeakMap<MorphableModel, AbsModel>();

/** The ICT head as an AbsModel: identity then expression modes, the atlas mesh, core skin for the loss. */
export function headAbsModel(model: MorphableModel): AbsModel {
  let m = models.get(model);
  if (!m) {
    const { topology, skin } = prepareHead(model);
    const basis = new Float32Array(model.identity.data.length + model.expression.data.length);
    basis.set(model.identity.data);
    basis.set(model.expression.data, model.identity.data.length);
    const tris = topology.triangles;
    m = {
      neutral: model.neutral,
      basis,
      sigma: new Float64Array(model.identity.count + model.expression.count).fill(1),
      modelTriangles: topology.modelTriangles,
      source: topology.sourceVertex,
      uvs: topology.uvs,
      triangles: tris,
      skinTriangle: Uint8Array.from({ length: tris.length / 3 }, (_, t) =>
        skin[tris[3 * t]] > 0.999 && skin[tris[3 * t + 1]] > 0.999 && skin[tris[3 * t + 2]] > 0.999 ? 1 : 0,
      ),
      landmarks: model.landmarks,
    };
    models.set(model, m);
  }
  return m;
}

/** The photo as RGB [H·W·3] in [0, 1]. */
async function photoRgb(photo: FaceImage): Promise<Float32Array> {
  const data = await photo.tensor.read();
  const c = photo.tensor.c;
  const n = photo.width * photo.height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) out[3 * i + k] = data[c * i + k];
  return out;
}

/**
 * The weak-perspective pose (what unwrap and export use) closest to a perspective camera on the
 * landmark vertices: u ≈ s·(R·P)ₓ + tₓ, v ≈ s·(R·P)ᵧ + tᵧ, least squares in s, tₓ, tᵧ.
 */
function weakPoseFrom(
  points: Float64Array,
  rotation: AbsParams['rotation'],
  projected: Float64Array,
  depth: number,
): Pose {
  const n = projected.length / 2;
  const rp = transformPoints({ rotation, scale: 1, translation: [0, 0, 0] }, points);
  let [ma, mb, mu, mv] = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    ma += rp[3 * i] / n;
    mb += rp[3 * i + 1] / n;
    mu += projected[2 * i] / n;
    mv += projected[2 * i + 1] / n;
  }
  let [num, den] = [0, 0];
  for (let i = 0; i < n; i++) {
    const [a, b] = [rp[3 * i] - ma, rp[3 * i + 1] - mb];
    num += a * (projected[2 * i] - mu) + b * (projected[2 * i + 1] - mv);
    den += a * a + b * b;
  }
  const s = num / den;
  return { rotation, scale: s, translation: [mu - s * ma, mv - s * mb, depth] };
}

/**
 * The translation that puts the landmark vertices of the landmark fit's shape onto the landmarks under
 * the perspective camera, given its rotation and focal length: (u − cₓ)(Z + T_z) = f (X + Tₓ) is
 * linear in T, so three normal equations (the weak-perspective translation when they are singular).
 */
function perspectiveTranslation(
  model: MorphableModel,
  fit: HeadFit,
  rotation: AbsParams['rotation'],
  focal: number,
  centre: [number, number],
  fallback: [number, number, number],
): [number, number, number] {
  const src = fit.topology.sourceVertex;
  const ata = new Float64Array(9);
  const atb = new Float64Array(3);
  for (let l = 0; l < model.landmarks.length; l++) {
    const i = src.indexOf(model.landmarks[l]);
    if (i < 0) continue;
    const p = fit.mesh.positions.subarray(3 * i, 3 * i + 3);
    const [X, Y, Z] = [0, 1, 2].map(
      (k) => rotation[3 * k] * p[0] + rotation[3 * k + 1] * p[1] + rotation[3 * k + 2] * p[2],
    );
    for (const [axis, obs, coord] of [
      [0, fit.landmarks68[2 * l] - centre[0], X],
      [1, fit.landmarks68[2 * l + 1] - centre[1], Y],
    ] as const) {
      const row = [0, 0, -obs];
      row[axis] = focal;
      const rhs = obs * Z - focal * coord;
      for (let a = 0; a < 3; a++) {
        atb[a] += row[a] * rhs;
        for (let b = 0; b < 3; b++) ata[3 * a + b] += row[a] * row[b];
      }
    }
  }
  try {
    const t = choleskySolve(ata, atb, 3);
    return t[2] > 0 ? [t[0], t[1], t[2]] : fallback;
  } catch {
    return fallback;
  }
}

/**
 * How far the perspective camera `cam` puts each vertex of `shape` from where the weak pose puts it
 * [n·2], pixels. FaceMesh's points agree with a weak-perspective fit better than with the photo's true
 * perspective (fit/camera.ts: its x, y, z are an orthographic description with the perspective baked
 * into the shape); refitting the landmark objective at the eval photos' own focal length moved turned
 * heads away from the truth. So the refit takes these offsets, on the landmark fit's shape, as part of
 * the detector's systematic error: its points move by them (the landmark fit's residuals are
 * unchanged at the start, and only the photo's pixels move the fit from there), and the weak pose it
 * hands on is matched to the fitted projections with them taken back out (at the start, the landmark
 * fit's own pose).
 */
export function perspectiveOffsets(
  shape: Float32Array,
  cam: PerspectiveCamera,
  pose: Pose,
  vertices: ArrayLike<number>,
): Float64Array {
  const out = projectVertices(shape, vertices, cam);
  for (let j = 0; j < vertices.length; j++) {
    const v = vertices[j];
    const weak = transformPoints(pose, shape.subarray(3 * v, 3 * v + 3));
    out[2 * j] -= weak[0];
    out[2 * j + 1] -= weak[1];
  }
  return out;
}

/** Photo positions [N·2] of the model's skin vertices under the landmark fit's weak pose. */
function skinSamples(abs: AbsModel, shape: Float32Array, pose: Pose): Float64Array {
  const skin = new Set<number>();
  for (let t = 0; t < abs.skinTriangle.length; t++)
    if (abs.skinTriangle[t]) for (let k = 0; k < 3; k++) skin.add(abs.source[abs.triangles[3 * t + k]]);
  const out = new Float64Array(2 * skin.size);
  let i = 0;
  for (const v of skin) {
    const p = transformPoints(pose, shape.subarray(3 * v, 3 * v + 3));
    out[i++] = p[0];
    out[i++] = p[1];
  }
  return out;
}

export interface PhotometricHeadOptions {
  levels?: AbsOptions['levels'];
  identityLoss?: AbsOptions['identityLoss'];
  weights?: AbsOptions['weights'];
  /** Add FaceRes' identity loss (identity.ts) over the landmarks' face square; its network folder. */
  identity?: { modelsUrl?: string };
  signal?: AbortSignal;
  onProgress?: AbsOptions['onProgress'];
}

/**
 * Refines a landmark fit of the ICT head by analysis-by-synthesis on the photo (optimise.ts):
 * identity, expression, pose, focal length, SH light and an albedo texture, from the landmark fit's
 * weights and pose under a perspective camera (initial focal 2× the photo's longest side, about a
 * 28° field of view). The result is posed back into the weak-perspective camera the later stages use.
 */
export async function refineHeadPhotometric(
  ctx: KernelContext,
  model: MorphableModel,
  fit: HeadFit,
  photo: FaceImage,
  options: PhotometricHeadOptions = {},
): Promise<
  HeadFit & {
    photometric: {
      iterations: number;
      acceptedSteps: number;
      seconds: number;
      focal: number;
      loss: [number, number];
    };
  }
> {
  const abs = headAbsModel(model);
  const { width, height } = photo;
  const rgb = await photoRgb(photo);
  const pose: Pose = {
    rotation: fit.camera.rotation,
    scale: fit.camera.scale,
    translation: fit.camera.translation,
  };
  const focal = 2 * Math.max(width, height);
  const depth = focal / pose.scale;
  const [cx, cy] = [width / 2, height / 2];
  // Mean colour inside the landmarks' box: the initial ambient light (albedo starts at 1).
  const lm = fit.landmarks68;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < 68; i++) {
    x0 = Math.min(x0, lm[2 * i]);
    x1 = Math.max(x1, lm[2 * i]);
    y0 = Math.min(y0, lm[2 * i + 1]);
    y1 = Math.max(y1, lm[2 * i + 1]);
  }
  const mean = [0, 0, 0];
  let count = 0;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(height, Math.ceil(y1)); y++)
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(width, Math.ceil(x1)); x++, count++)
      for (let c = 0; c < 3; c++) mean[c] += rgb[3 * (y * width + x) + c];
  const sh = new Float64Array(27);
  for (let c = 0; c < 3; c++) sh[9 * c] = mean[c] / Math.max(count, 1) / 0.282095;
  const translation = perspectiveTranslation(
    model,
    fit,
    pose.rotation,
    focal,
    [cx, cy],
    [(pose.translation[0] - cx) / pose.scale, (pose.translation[1] - cy) / pose.scale, depth],
  );
  const init: AbsParams = {
    rotation: pose.rotation,
    translation,
    focal,
    weights: Float64Array.from([...fit.identity, ...fit.expression]),
    sh,
    albedo: new Float32Array(ALBEDO_SIZE * ALBEDO_SIZE * 3).fill(1),
    albedoSize: ALBEDO_SIZE,
  };
  const faceRes = options.identity
    ? await faceResIdentityLoss(ctx, { rgb, width, height }, landmarkCropBox(lm), options.identity.modelsUrl)
    : undefined;
  const identityLoss = options.identityLoss ?? faceRes;
  // The landmark fit's own objective (its points, noise σ, priors and expression box), so its result is
  // where the geometric terms' gradient vanishes and the photo's pixels move the fit from there.
  const settings = { identitySigma: 1, expressionSigma: 1, maxAbsWeight: 3, ...PHOTO_FIT_OPTIONS };
  const k = model.identity.count;
  const sigma = Float64Array.from({ length: abs.sigma.length }, (_, m) =>
    m < k ? settings.identitySigma : settings.expressionSigma,
  );
  const [eLo, eHi] = settings.expressionRange ?? [-settings.maxAbsWeight, settings.maxAbsWeight];
  const lower = Float64Array.from(sigma, (_, m) => (m < k ? -settings.maxAbsWeight : eLo));
  const upper = Float64Array.from(sigma, (_, m) => (m < k ? settings.maxAbsWeight : eHi));
  const startShape = blendShape(abs, init.weights);
  const startCamera: PerspectiveCamera = {
    rotation: init.rotation,
    translation: init.translation,
    focal,
    centre: [cx, cy],
  };
  const targetOffsets = perspectiveOffsets(startShape, startCamera, pose, fit.targets.vertices);
  const pixelWeights = photoSkinWeights(rgb, width, height, skinSamples(abs, startShape, pose));
  const result = await fitAbs(
    ctx,
    { ...abs, sigma },
    init,
    {
      photo: rgb,
      width,
      height,
      landmarks: fit.targets.points.map((y, i) => y + targetOffsets[i]),
      landmarkWeights: fit.targets.weights,
      landmarkVertices: fit.targets.vertices,
      pixelWeights,
    },
    {
      levels: options.levels ?? HEAD_ABS_LEVELS,
      identityLoss,
      weights: { ...HEAD_ABS_WEIGHTS, ...(identityLoss ? {} : { identity: 0 }), ...options.weights },
      landmarkSigma: settings.sigmaPx,
      weightBounds: { lower, upper },
      signal: options.signal,
      onProgress: options.onProgress,
    },
  );
  const p = result.params;
  const identity = p.weights.subarray(0, k);
  const expression = p.weights.subarray(k);
  // The perspective projection of the fitted landmark vertices, matched by a weak-perspective pose.
  const shape = blendShape(abs, p.weights);
  const lmModel = Float64Array.from(
    Array.from(model.landmarks).flatMap((v) => Array.from(shape.subarray(3 * v, 3 * v + 3))),
  );
  const projected = projectVertices(shape, model.landmarks, {
    rotation: p.rotation,
    translation: p.translation,
    focal: p.focal,
    centre: [cx, cy],
  });
  const landmarkOffsets = perspectiveOffsets(startShape, startCamera, pose, model.landmarks);
  const weak = weakPoseFrom(
    lmModel,
    p.rotation,
    projected.map((x, i) => x - landmarkOffsets[i]),
    pose.translation[2],
  );
  const weakHead = await headGeometry(ctx, model, { identity, expression, pose: weak }, { width, height });
  // The later stages place the head by the weak pose, as after the landmark fit: the fitted shape
  // stays consistent with it (perspectiveOffsets), and the perspective camera's own frame, tried for
  // the unwrap, lowered the novel-view identity of turned heads.
  const head = { ...weakHead, projected68: projected };
  return {
    ...head,
    landmarks68: fit.landmarks68,
    targets: fit.targets,
    quality: {
      ...fit.quality,
      fitted: landmarkError(head.projected68, fit.landmarks68),
      mouth: {
        ...fit.quality.mouth,
        fittedPx: innerLipGap68(head.projected68),
        landmarkFitPx: fit.quality.mouth.fittedPx,
      },
    },
    photometric: {
      iterations: result.iterations,
      acceptedSteps: result.acceptedSteps,
      seconds: result.seconds,
      focal: p.focal,
      loss: [result.history[0], result.history.at(-1)!],
    },
  };
}
