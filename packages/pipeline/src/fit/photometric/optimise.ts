import { Adam, Tensor, Triangles, type KernelContext } from '@avatarme/kernels';
import { choleskySolve, mat3Mul, rotationFromAxisAngle, type Mat3 } from '../../math/linalg.ts';
import { SH_CONSTANTS, shBasis } from '../../lighting/sh.ts';
import { normalsFromSums, normalSums } from '../../mesh/normals.ts';
import { shBasisGradient, vertexNormalsBackward } from './normals.ts';
import { DifferentiableRender } from './render.ts';
import { dampedStep, GEOMETRY_PARAMS, pointTerm, type PointTargets } from './geometry.ts';

/**
 * Analysis-by-synthesis fit of a morphable mesh to a photo: the shape (linear modes), rigid pose, a
 * perspective camera with its focal length, second-order SH lighting (camera frame) and a per-texel
 * albedo texture, over Gaussian 2-D point, skin-masked robust photometric and optional identity
 * losses with Gaussian priors on the modes, coarse to fine: the geometry by Levenberg–Marquardt on
 * the CPU, light and albedo by Adam on the GPU.
 */
export interface AbsModel {
  /** Model-vertex neutral [Vm·3] and modes, mode-major [M·Vm·3]. */
  neutral: Float32Array;
  basis: Float32Array;
  /** Prior standard deviation of each mode's weight [M]. */
  sigma: Float64Array;
  /** Triangles over the model's vertices (for normals) [Fm·3]. */
  modelTriangles: Uint32Array;
  /** The rendered mesh: split vertices (UV seams), their model vertex, UVs and triangles. */
  source: Uint32Array;
  uvs: Float32Array;
  triangles: Uint32Array;
  /** 1 on triangles whose pixels enter the photometric loss (bare skin) [F]. */
  skinTriangle: Uint8Array;
  /** Model vertex of each 2-D landmark [L]. */
  landmarks: Uint32Array;
}

/** Camera frame: x right, y down (image rows), z away from the camera; model units (cm for ICT). */
export interface AbsParams {
  /** Model → camera, row-major. */
  rotation: Mat3;
  translation: [number, number, number];
  /** Focal length in photo pixels; the principal point is the photo's centre. */
  focal: number;
  weights: Float64Array;
  /** 9 coefficients per colour channel, channel-major, on camera-frame normals. */
  sh: Float64Array;
  /** Albedo texture [size·size·3] over the mesh UVs. */
  albedo: Float32Array;
  albedoSize: number;
}

export interface AbsTarget {
  /** Linear-in-value RGB in [0, 1] [H·W·3]. */
  photo: Float32Array;
  width: number;
  height: number;
  /** Landmark positions in photo pixels [L·2] and optional weights [L]. */
  landmarks: Float64Array;
  landmarkWeights?: ArrayLike<number>;
  /**
   * Model vertex of each landmark (default the model's landmarks): a caller may pass every point its
   * landmark fit used (head.ts: the 68 landmarks and FaceMesh's dense matches) so that fit's result
   * is where the point term's gradient vanishes.
   */
  landmarkVertices?: ArrayLike<number>;
  /**
   * How much each photo pixel may enter the photometric loss, in [0, 1] [H·W] (default all): the
   * model's skin triangles say where its skin is, not where the photo shows skin (hair over the
   * forehead, glasses, headwear).
   */
  pixelWeights?: Float32Array;
}

/** An extra image loss (the identity loss): value and ∂/∂image for a rendered image [h·w·3]. */
export type ImageLoss = (
  image: Float32Array,
  width: number,
  height: number,
) => Promise<{ loss: number; grad: Float32Array }>;

export interface AbsOptions {
  /**
   * Render sizes (longest side, pixels), coarse to fine, and iterations per level; `geometry: false`
   * holds the geometry while light and albedo settle (until they do, the pixels' residual is mostly
   * the wrong albedo, which the shape would otherwise bend to explain).
   */
  levels?: { size: number; iterations: number; geometry?: boolean }[];
  /**
   * Multipliers of the terms. The point term is the Gaussian ½ Σ cᵢ‖π − y‖²/σ² and the prior
   * ½ Σ w²/σₘ² (negative log-likelihoods); photometric and identity are per-pixel means (photometric:
   * Cauchy) scaled by their weight into the same units.
   */
  weights?: {
    landmarks?: number;
    photometric?: number;
    prior?: number;
    albedoPrior?: number;
    identity?: number;
  };
  /** Landmark noise σ in photo pixels (default 2). */
  landmarkSigma?: number;
  /** Prior σ of log focal length around the initial focal (default 0.25: the field of view within ±25 %). */
  focalSigma?: number;
  /** Box on the mode weights (default unbounded). */
  weightBounds?: { lower: ArrayLike<number>; upper: ArrayLike<number> };
  /** Which parameter groups move (default all). */
  optimise?: { pose?: boolean; focal?: boolean; shape?: boolean; light?: boolean; albedo?: boolean };
  identityLoss?: ImageLoss;
  /** Start the light from a least-squares solve on the initial shape (default true when light moves). */
  initLight?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { iteration: number; total: number; loss: number; level: number }) => void;
}

export interface AbsResult {
  params: AbsParams;
  /** Total loss per iteration. */
  history: number[];
  iterations: number;
  /** Geometry steps that lowered the loss and were kept. */
  acceptedSteps: number;
  seconds: number;
}

const PHOTO_DELTA = 0.03; // width of the photometric loss's quadratic core (colour units)
const STEP_RADIUS = 0.25; // largest change of a mode weight per geometry step, in prior σ (at most)

/**
 * Cauchy (Lorentzian) loss ½δ·log(1 + r²/δ²): r²/2δ near zero, like the Charbonnier loss it replaced,
 * but its slope falls off past δ, so pixels the diffuse SH × albedo model cannot explain (specular
 * highlights, marks finer than the albedo texture) stop pulling the shape; with Charbonnier (≈ |r|)
 * they pulled at full strength and bent the shape towards them.
 */
function cauchy(r: number, delta: number): { value: number; slope: number } {
  const q = 1 + (r * r) / (delta * delta);
  return { value: 0.5 * delta * Math.log(q), slope: r / delta / q };
}

/** Box-filtered copy of an image at a smaller size (each output pixel averages its footprint). */
export function downsample(
  src: Float32Array,
  w: number,
  h: number,
  ow: number,
  oh: number,
  channels = 3,
): Float32Array {
  const out = new Float32Array(ow * oh * channels);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      const [x0, x1] = [
        Math.floor((x * w) / ow),
        Math.max(Math.floor(((x + 1) * w) / ow), Math.floor((x * w) / ow) + 1),
      ];
      const [y0, y1] = [
        Math.floor((y * h) / oh),
        Math.max(Math.floor(((y + 1) * h) / oh), Math.floor((y * h) / oh) + 1),
      ];
      const acc = new Array<number>(channels).fill(0);
      for (let yy = y0; yy < y1; yy++)
        for (let xx = x0; xx < x1; xx++)
          for (let c = 0; c < channels; c++) acc[c] += src[channels * (yy * w + xx) + c];
      const n = (x1 - x0) * (y1 - y0);
      for (let c = 0; c < channels; c++) out[channels * (y * ow + x) + c] = acc[c] / n;
    }
  return out;
}

/**
 * neutral + Σ wₘ·Bₘ on the CPU. The fit needs the shape on the CPU every iteration; the GPU kernel's
 * dispatch and read-back cost more than the arithmetic here (most so on SwiftShader).
 */
export function blendShape(model: AbsModel, weights: ArrayLike<number>): Float32Array {
  const n = model.neutral.length;
  const out = Float32Array.from(model.neutral);
  const b = model.basis;
  let m = 0;
  // Four modes a pass: the output is read and written a quarter as often.
  for (; m + 4 <= weights.length; m += 4) {
    const [w0, w1, w2, w3] = [weights[m], weights[m + 1], weights[m + 2], weights[m + 3]];
    const [o0, o1, o2, o3] = [m * n, (m + 1) * n, (m + 2) * n, (m + 3) * n];
    for (let i = 0; i < n; i++) out[i] += w0 * b[o0 + i] + w1 * b[o1 + i] + w2 * b[o2 + i] + w3 * b[o3 + i];
  }
  for (; m < weights.length; m++) {
    const w = weights[m];
    for (let i = 0; i < n; i++) out[i] += w * b[m * n + i];
  }
  return out;
}

/** Bᵀg: ∂L/∂w from ∂L/∂shape [Vm·3], over the vertices whose gradient is not zero. */
export function blendTranspose(model: AbsModel, modes: number, g: Float32Array): Float64Array {
  const n = model.neutral.length;
  const touched: number[] = [];
  for (let v = 0; v < n / 3; v++)
    if (g[3 * v] !== 0 || g[3 * v + 1] !== 0 || g[3 * v + 2] !== 0) touched.push(v);
  const out = new Float64Array(modes);
  for (let m = 0; m < modes; m++) {
    const o = m * n;
    let acc = 0;
    for (const v of touched) {
      const i = o + 3 * v;
      acc +=
        model.basis[i] * g[3 * v] + model.basis[i + 1] * g[3 * v + 1] + model.basis[i + 2] * g[3 * v + 2];
    }
    out[m] = acc;
  }
  return out;
}

/** The appearance parameters Adam moves on the GPU: SH light, then the albedo texture. */
function layout(albedoValues: number): { sh: number; albedo: number; count: number } {
  return { sh: 0, albedo: 27, count: 27 + albedoValues };
}

/** Shading per camera-frame normal and its basis, for the attribute gradient. */
function shadeVertex(
  sh: ArrayLike<number>,
  n: ArrayLike<number>,
  i: number,
  basis: Float64Array,
  out: Float32Array,
  o: number,
): void {
  shBasis(n[i], n[i + 1], n[i + 2], basis);
  for (let c = 0; c < 3; c++) {
    let s = 0;
    for (let k = 0; k < 9; k++) s += sh[9 * c + k] * basis[k];
    out[o + c] = s;
  }
}

interface SceneVertices {
  /** Camera-frame model vertices [Vm·3]. */
  Xc: Float64Array;
  clip: Float32Array;
  attr: Float32Array;
  /** Camera-frame normals of the rendered vertices [V·3]. */
  nCam: Float64Array;
  /** Model-space normals of the model vertices [Vm·3]. */
  nModel: Float32Array;
  /** normalSums of the shape (what nModel normalises), for the normals' adjoint. */
  normalSums: Float64Array;
}

/** Camera-frame vertices, clip positions (render focal fr, size rw × rh) and [u, v, shade] attributes. */
function sceneVertices(
  model: AbsModel,
  shape: Float32Array,
  R: Mat3,
  T: number[],
  fr: number,
  rw: number,
  rh: number,
  sh: ArrayLike<number>,
): SceneVertices {
  const Vm = model.neutral.length / 3;
  const V = model.source.length;
  const Xc = new Float64Array(Vm * 3);
  let [zmin, zmax] = [Infinity, -Infinity];
  for (let v = 0; v < Vm; v++) {
    const [a, b, c] = [shape[3 * v], shape[3 * v + 1], shape[3 * v + 2]];
    Xc[3 * v] = R[0] * a + R[1] * b + R[2] * c + T[0];
    Xc[3 * v + 1] = R[3] * a + R[4] * b + R[5] * c + T[1];
    const z = (Xc[3 * v + 2] = R[6] * a + R[7] * b + R[8] * c + T[2]);
    if (z < zmin) zmin = z;
    if (z > zmax) zmax = z;
  }
  const sums = normalSums(shape, model.modelTriangles);
  const nModel = normalsFromSums(sums);
  const clip = new Float32Array(V * 4);
  const attr = new Float32Array(V * 5);
  const nCam = new Float64Array(V * 3);
  const basis = new Float64Array(9);
  for (let i = 0; i < V; i++) {
    const v = model.source[i];
    const [X, Y, Z] = [Xc[3 * v], Xc[3 * v + 1], Xc[3 * v + 2]];
    // Depth only orders fragments: the mesh's depth range mapped into (−1, 1).
    const zn = ((Z - zmin) / (zmax - zmin + 1e-9)) * 1.8 - 0.9;
    clip[4 * i] = (2 * fr * X) / rw;
    clip[4 * i + 1] = (2 * fr * Y) / rh;
    clip[4 * i + 2] = zn * Z;
    clip[4 * i + 3] = Z;
    const [a, b, c] = [nModel[3 * v], nModel[3 * v + 1], nModel[3 * v + 2]];
    nCam[3 * i] = R[0] * a + R[1] * b + R[2] * c;
    nCam[3 * i + 1] = R[3] * a + R[4] * b + R[5] * c;
    nCam[3 * i + 2] = R[6] * a + R[7] * b + R[8] * c;
    attr[5 * i] = model.uvs[2 * i];
    attr[5 * i + 1] = model.uvs[2 * i + 1];
    shadeVertex(sh, nCam, 3 * i, basis, attr, 5 * i + 2);
  }
  return { Xc, clip, attr, nCam, nModel, normalSums: sums };
}

/**
 * Least-squares SH light for the current shape and pose: at skin vertices that face the camera,
 * the photo's colour divided by the albedo texel ≈ Σ_k sh[c, k]·Y_k(n) (linear in sh), with a small
 * ridge. Occlusion is ignored: a start for Adam, which then sees the rendered, occluded image.
 */
function solveLight(
  model: AbsModel,
  s: SceneVertices,
  target: AbsTarget,
  focal: number,
  albedo: ArrayLike<number>,
  albedoSize: number,
): Float64Array | undefined {
  const skinVertex = new Uint8Array(model.source.length);
  for (let t = 0; t < model.skinTriangle.length; t++)
    if (model.skinTriangle[t]) for (let k = 0; k < 3; k++) skinVertex[model.triangles[3 * t + k]] = 1;
  const ata = new Float64Array(81);
  const atb = [new Float64Array(9), new Float64Array(9), new Float64Array(9)];
  const y = new Float64Array(9);
  let used = 0;
  for (let i = 0; i < model.source.length; i++) {
    if (!skinVertex[i] || s.nCam[3 * i + 2] > -0.2) continue;
    const v = model.source[i];
    const Z = s.Xc[3 * v + 2];
    const px = Math.floor((focal * s.Xc[3 * v]) / Z + target.width / 2);
    const py = Math.floor((focal * s.Xc[3 * v + 1]) / Z + target.height / 2);
    if (px < 0 || py < 0 || px >= target.width || py >= target.height) continue;
    const tx = Math.min(albedoSize - 1, Math.max(0, Math.floor(model.uvs[2 * i] * albedoSize)));
    const ty = Math.min(albedoSize - 1, Math.max(0, Math.floor(model.uvs[2 * i + 1] * albedoSize)));
    shBasis(s.nCam[3 * i], s.nCam[3 * i + 1], s.nCam[3 * i + 2], y);
    for (let a = 0; a < 9; a++) for (let b = 0; b < 9; b++) ata[9 * a + b] += y[a] * y[b];
    for (let c = 0; c < 3; c++) {
      const obs =
        target.photo[3 * (py * target.width + px) + c] /
        Math.max(albedo[3 * (ty * albedoSize + tx) + c], 1e-3);
      for (let a = 0; a < 9; a++) atb[c][a] += y[a] * obs;
    }
    used++;
  }
  if (used < 20) return undefined;
  for (let a = 0; a < 9; a++) ata[10 * a] += 1e-3 * used;
  const out = new Float64Array(27);
  for (let c = 0; c < 3; c++) out.set(choleskySolve(ata, atb[c], 9), 9 * c);
  return out;
}

/**
 * The scene rendered at given parameters (no gradients), with the landmarks' photo positions: what
 * the fit compares to the photo, and a synthetic target for tests.
 */
export async function renderAbs(
  ctx: KernelContext,
  model: AbsModel,
  params: AbsParams,
  photoSize: { width: number; height: number },
  renderSize: number,
): Promise<{
  image: Float32Array;
  rast: Float32Array;
  width: number;
  height: number;
  landmarks: Float64Array;
}> {
  const scale = renderSize / Math.max(photoSize.width, photoSize.height);
  const rw = Math.max(8, Math.round(photoSize.width * scale));
  const rh = Math.max(8, Math.round(photoSize.height * scale));
  const shape = blendShape(model, params.weights);
  const s = sceneVertices(
    model,
    shape,
    params.rotation,
    params.translation,
    params.focal * scale,
    rw,
    rh,
    params.sh,
  );
  const tris = Triangles.create(ctx, model.triangles, model.source.length, 'abs.triangles');
  const ts = params.albedoSize;
  const albedo = Tensor.fromArray(ctx, params.albedo, [1, ts, ts, 3], 'abs.albedo');
  const r = await DifferentiableRender.forward(ctx, {
    clip: s.clip,
    attributes: s.attr,
    triangles: tris,
    triangleIndices: model.triangles,
    albedo,
    width: rw,
    height: rh,
  });
  r.dispose();
  albedo.dispose();
  tris.dispose();
  const landmarks = new Float64Array(model.landmarks.length * 2);
  model.landmarks.forEach((v, l) => {
    const Z = s.Xc[3 * v + 2];
    landmarks[2 * l] = (params.focal * s.Xc[3 * v]) / Z + photoSize.width / 2;
    landmarks[2 * l + 1] = (params.focal * s.Xc[3 * v + 1]) / Z + photoSize.height / 2;
  });
  return { ...r.result, width: rw, height: rh, landmarks };
}

/**
 * BFGS update of a curvature estimate B from a step s and the gradient change y: B − B s sᵀB/(sᵀB s)
 * + y yᵀ/(yᵀs), skipped where the curvature along s is not positive (yᵀs ≤ 0: no convex model there).
 */
function bfgsUpdate(b: Float64Array, s: Float64Array, y: Float64Array): void {
  const n = s.length;
  const ys = y.reduce((a, v, i) => a + v * s[i], 0);
  if (!(ys > 1e-12 * Math.hypot(...s) * Math.hypot(...y))) return;
  const bs = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) bs[i] += b[i * n + j] * s[j];
  const sbs = bs.reduce((a, v, i) => a + v * s[i], 0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      b[i * n + j] += (y[i] * y[j]) / ys - (sbs > 0 ? (bs[i] * bs[j]) / sbs : 0);
    }
}

/**
 * The fit. Geometry (rotation, translation, log focal, mode weights) moves by Levenberg–Marquardt
 * steps on the CPU: the point term and the priors enter with their Gauss–Newton Hessian, the
 * photometric and identity terms with their gradient and a BFGS estimate of their curvature; a step
 * that raises the total loss is rejected, μ grows and the trust radius halves. Light and albedo move by
 * Adam on the GPU after each kept step (and at every render of a level that holds the geometry).
 */
export async function fitAbs(
  ctx: KernelContext,
  model: AbsModel,
  init: AbsParams,
  target: AbsTarget,
  options: AbsOptions = {},
): Promise<AbsResult> {
  const M = model.sigma.length;
  const Vm = model.neutral.length / 3;
  const V = model.source.length;
  const lmVertices = target.landmarkVertices ?? model.landmarks;
  const L = lmVertices.length;
  if (model.basis.length !== M * Vm * 3) {
    throw new RangeError(
      `fitAbs: basis of ${model.basis.length} values is not ${M} modes × ${Vm} vertices × 3`,
    );
  }
  if (target.landmarks.length !== 2 * L || target.photo.length !== 3 * target.width * target.height) {
    throw new RangeError(
      `fitAbs: ${target.landmarks.length / 2} landmarks for ${L} model landmarks, photo of ${target.photo.length} values for ${target.width}×${target.height}×3`,
    );
  }
  if (target.pixelWeights && target.pixelWeights.length !== target.width * target.height) {
    throw new RangeError(
      `fitAbs: ${target.pixelWeights.length} pixel weights for a ${target.width}×${target.height} photo`,
    );
  }
  const levels = options.levels ?? [
    { size: 64, iterations: 20 },
    { size: 128, iterations: 20 },
  ];
  const w = { landmarks: 1, photometric: 1, prior: 1, albedoPrior: 1e-2, identity: 0, ...options.weights };
  const opt = { pose: true, focal: true, shape: true, light: true, albedo: true, ...options.optimise };
  const ts = init.albedoSize;
  const lay = layout(ts * ts * 3);
  const G = GEOMETRY_PARAMS + M;
  const lmw = target.landmarkWeights ?? new Float64Array(L).fill(1);
  const points: PointTargets = {
    vertices: lmVertices,
    points: target.landmarks,
    weights: Array.from(lmw, (c) => c * w.landmarks),
    sigma: options.landmarkSigma ?? 2,
  };
  const logF0 = Math.log(init.focal);
  const focalSigma = options.focalSigma ?? 0.25;
  const lower = options.weightBounds?.lower;
  const upper = options.weightBounds?.upper;
  // Parameters held fixed: their rows of the step are zero (a large diagonal, no gradient).
  const fixed = new Uint8Array(G);
  if (!opt.pose) fixed.fill(1, 0, 6);
  if (!opt.focal) fixed[6] = 1;
  if (!opt.shape) fixed.fill(1, GEOMETRY_PARAMS);

  // Appearance (SH light and albedo) lives in the GPU parameter tensor that Adam updates.
  const p0 = new Float32Array(lay.count);
  p0.set(init.sh, lay.sh);
  p0.set(init.albedo, lay.albedo);
  const lrFor = (scale: number) => {
    const lr = new Float32Array(lay.count);
    lr.fill(opt.light ? 0.02 * scale : 0, lay.sh, lay.sh + 27);
    lr.fill(opt.albedo ? 0.02 * scale : 0, lay.albedo, lay.count);
    return lr;
  };

  if (opt.light && (options.initLight ?? true)) {
    const shape = blendShape(model, init.weights);
    const sv = sceneVertices(model, shape, init.rotation, init.translation, 1, 1, 1, init.sh);
    const light = solveLight(model, sv, target, init.focal, init.albedo, ts);
    if (light) p0.set(light, lay.sh);
  }
  const params = Tensor.fromArray(ctx, p0, [1, 1, 1, lay.count], 'abs.params');
  const adam = Adam.create(ctx, params, lrFor(1));
  const tris = Triangles.create(ctx, model.triangles, V, 'abs.triangles');
  const history: number[] = [];
  const total = levels.reduce((s, l) => s + l.iterations, 0);
  const t0 = performance.now();
  let p: Float32Array;
  let scene: (SceneVertices & { geometry: object; shape: Float32Array }) | undefined;
  const basisTmp = new Float64Array(9);

  // Geometry: the accepted state and the trial being evaluated.
  interface GeometryState {
    rotation: Mat3;
    translation: number[];
    logF: number;
    weights: Float64Array;
  }
  const start: GeometryState = {
    rotation: init.rotation,
    translation: [...init.translation],
    logF: logF0,
    weights: Float64Array.from(init.weights),
  };
  // Each level sets the trial, reference loss and damping afresh (below).
  let accepted = start;
  let trial: GeometryState;
  let acceptedLoss = Infinity;
  let acceptedGrad: Float64Array = new Float64Array(G);
  let acceptedHessian: Float64Array = new Float64Array(G * G);
  // The image terms' curvature, which one backward pass does not give: a BFGS estimate from the change
  // of their gradient between accepted points (structured quasi-Newton: exact Gauss–Newton for the
  // point term and priors, secant updates for the rest).
  const imageCurvature = new Float64Array(G * G);
  let acceptedImageGrad: Float64Array | undefined;
  let lastStep: Float64Array | undefined;
  // Levenberg–Marquardt damping, updated by the gain ratio actual / predicted decrease (Nielsen's rule).
  let mu: number;
  let nu: number;
  let radius: number;
  let predicted = 0;
  let acceptedSteps = 0;
  const stepFrom = (from: GeometryState): GeometryState => {
    const h = Float64Array.from(acceptedHessian, (x, i) => x + imageCurvature[i]);
    const g = Float64Array.from(acceptedGrad);
    for (let i = 0; i < G; i++)
      if (fixed[i]) {
        for (let j = 0; j < G; j++) h[i * G + j] = h[j * G + i] = 0;
        h[i * G + i] = 1;
        g[i] = 0;
      }
    let d: Float64Array;
    try {
      d = dampedStep(h, g, mu);
    } catch {
      // Rounding in the secant updates can leave the estimate indefinite: forget it and go on without.
      imageCurvature.fill(0);
      for (let i = 0; i < G * G; i++)
        if (!fixed[Math.floor(i / G)] && !fixed[i % G]) h[i] = acceptedHessian[i];
      d = dampedStep(h, g, mu);
    }
    // Trust region: no weight moves more than `radius` prior σ in one step (the image terms enter the
    // model by their gradient and a secant estimate only, so a long step predicts nothing).
    let largest = 0;
    for (let m = 0; m < M; m++)
      largest = Math.max(largest, Math.abs(d[GEOMETRY_PARAMS + m]) / model.sigma[m]);
    if (largest > radius) for (let i = 0; i < G; i++) d[i] *= radius / largest;
    const weights = Float64Array.from(from.weights, (x, m) => {
      const y = x + d[GEOMETRY_PARAMS + m];
      return Math.min(upper?.[m] ?? Infinity, Math.max(lower?.[m] ?? -Infinity, y));
    });
    for (let m = 0; m < M; m++) d[GEOMETRY_PARAMS + m] = weights[m] - from.weights[m];
    lastStep = d;
    // The quadratic model's decrease for this step: −gᵀd − ½ dᵀH d.
    predicted = 0;
    for (let i = 0; i < G; i++) {
      let hd = 0;
      for (let j = 0; j < G; j++) hd += h[i * G + j] * d[j];
      predicted -= g[i] * d[i] + 0.5 * d[i] * hd;
    }
    return {
      rotation: mat3Mul(rotationFromAxisAngle([d[0], d[1], d[2]]), from.rotation),
      translation: from.translation.map((t, k) => t + d[3 + k]),
      logF: from.logF + d[6],
      weights,
    };
  };
  try {
    let iteration = 0;
    for (let li = 0; li < levels.length; li++) {
      const lv = levels[li];
      const scale = lv.size / Math.max(target.width, target.height);
      const rw = Math.max(8, Math.round(target.width * scale));
      const rh = Math.max(8, Math.round(target.height * scale));
      const photo = downsample(target.photo, target.width, target.height, rw, rh);
      const pixelWeights = target.pixelWeights
        ? downsample(target.pixelWeights, target.width, target.height, rw, rh, 1)
        : undefined;
      // Finer levels take smaller appearance steps: the coarse level has already found the basin. The
      // photometric term is a mean over a new set of pixels, so the reference loss starts again, from
      // the accepted geometry (a step proposed at the last level is not taken unchecked).
      adam.setLearningRates(lrFor(li === 0 ? 1 : 0.5));
      acceptedImageGrad = undefined;
      trial = accepted;
      scene = undefined;
      mu = 1e-3;
      nu = 2;
      radius = STEP_RADIUS;
      for (let it = 0; it < lv.iterations; it++, iteration++) {
        options.signal?.throwIfAborted();
        p = await params.read();
        const weights = trial.weights;
        const R = trial.rotation;
        const T = trial.translation;
        const focal = Math.exp(trial.logF);
        const fr = focal * scale;
        // A geometry already evaluated at this level (the reference after a kept step, every render of
        // a level that holds the geometry) keeps its vertices: only the shading follows the new light.
        if (!scene || scene.geometry !== trial) {
          const shape = blendShape(model, weights);
          scene = {
            geometry: trial,
            shape,
            ...sceneVertices(model, shape, R, T, fr, rw, rh, p.subarray(lay.sh, lay.sh + 27)),
          };
        } else {
          const sh = p.subarray(lay.sh, lay.sh + 27);
          for (let i = 0; i < V; i++) shadeVertex(sh, scene.nCam, 3 * i, basisTmp, scene.attr, 5 * i + 2);
        }
        const { shape, Xc, clip, attr, nCam, nModel, normalSums: sums } = scene;
        const geometric = lv.geometry ?? true;
        const albedo = Tensor.fromArray(ctx, p.slice(lay.albedo, lay.count), [1, ts, ts, 3], 'abs.albedo');
        const render = await DifferentiableRender.forward(ctx, {
          clip,
          attributes: attr,
          triangles: tris,
          triangleIndices: model.triangles,
          albedo,
          width: rw,
          height: rh,
        });
        // Photometric loss over rendered skin pixels.
        const { image, rast } = render.result;
        const dImage = new Float32Array(image.length);
        // A weighted mean: the term's scale does not depend on how much of the skin the photo shows.
        let count = 0;
        for (let q = 0; q < rw * rh; q++)
          if (rast[4 * q + 3] > 0 && model.skinTriangle[rast[4 * q + 3] - 1]) count += pixelWeights?.[q] ?? 1;
        let loss = 0;
        if (w.photometric > 0 && count > 0) {
          for (let q = 0; q < rw * rh; q++) {
            const id = rast[4 * q + 3];
            if (!(id > 0 && model.skinTriangle[id - 1])) continue;
            const k = (w.photometric * (pixelWeights?.[q] ?? 1)) / count;
            for (let c = 0; c < 3; c++) {
              const r = cauchy(image[3 * q + c] - photo[3 * q + c], PHOTO_DELTA);
              loss += k * r.value;
              dImage[3 * q + c] = k * r.slope;
            }
          }
        }
        if (options.identityLoss && w.identity > 0) {
          const id = await options.identityLoss(image, rw, rh);
          loss += w.identity * id.loss;
          for (let i = 0; i < dImage.length; i++) dImage[i] += w.identity * id.grad[i];
        }
        const g = await render.backward(dImage, { geometry: geometric });
        render.dispose();
        albedo.dispose();

        const grad = new Float32Array(lay.count);
        const gGeo = new Float64Array(G);
        const gX = new Float64Array(Vm * 3);
        let gf = 0;
        for (let i = 0; geometric && i < V; i++) {
          const v = model.source[i];
          const [gx, gy, gw] = [g.clip[4 * i], g.clip[4 * i + 1], g.clip[4 * i + 3]];
          if (gx === 0 && gy === 0 && gw === 0) continue;
          gX[3 * v] += ((2 * fr) / rw) * gx;
          gX[3 * v + 1] += ((2 * fr) / rh) * gy;
          gX[3 * v + 2] += gw;
          gf += scale * ((2 * Xc[3 * v]) / rw) * gx + scale * ((2 * Xc[3 * v + 1]) / rh) * gy;
        }
        // Shading: S_c = Σ_k sh[c, k]·Y_k(n), to the SH coefficients and to the camera-frame normals.
        const sh = p.subarray(lay.sh, lay.sh + 27);
        const gN = new Float64Array(Vm * 3);
        for (let i = 0; i < V; i++) {
          const ga = [g.attributes[5 * i + 2], g.attributes[5 * i + 3], g.attributes[5 * i + 4]];
          if (ga[0] === 0 && ga[1] === 0 && ga[2] === 0) continue;
          const [nx, ny, nz] = [nCam[3 * i], nCam[3 * i + 1], nCam[3 * i + 2]];
          shBasis(nx, ny, nz, basisTmp);
          for (let c = 0; c < 3; c++)
            for (let k = 0; k < 9; k++) grad[lay.sh + 9 * c + k] += ga[c] * basisTmp[k];
          if (!geometric) continue;
          const dY = shBasisGradient(nx, ny, nz, SH_CONSTANTS);
          const v = model.source[i];
          for (let c = 0; c < 3; c++)
            for (let k = 0; k < 9; k++) {
              const q = ga[c] * sh[9 * c + k];
              for (let d = 0; d < 3; d++) gN[3 * v + d] += q * dY[3 * k + d];
            }
        }
        // Rigid pose: X_c = R·P + T; a rotation step δω acts as exp([δω]×)·R, so ∂L/∂ω = Σ (R·P) × g.
        const gP = new Float32Array(Vm * 3);
        for (let v = 0; geometric && v < Vm; v++) {
          const [gx, gy, gz] = [gX[3 * v], gX[3 * v + 1], gX[3 * v + 2]];
          if (gx === 0 && gy === 0 && gz === 0) continue;
          const [ax, ay, az] = [Xc[3 * v] - T[0], Xc[3 * v + 1] - T[1], Xc[3 * v + 2] - T[2]];
          gGeo[0] += ay * gz - az * gy;
          gGeo[1] += az * gx - ax * gz;
          gGeo[2] += ax * gy - ay * gx;
          gGeo[3] += gx;
          gGeo[4] += gy;
          gGeo[5] += gz;
          for (let k = 0; k < 3; k++) gP[3 * v + k] = R[k] * gx + R[3 + k] * gy + R[6 + k] * gz;
        }
        // Normals: n_cam = R·n_model turns with the pose and moves with the positions.
        const gNm = new Float64Array(Vm * 3);
        for (let v = 0; geometric && v < Vm; v++) {
          const [gx, gy, gz] = [gN[3 * v], gN[3 * v + 1], gN[3 * v + 2]];
          if (gx === 0 && gy === 0 && gz === 0) continue;
          const [mx, my, mz] = [nModel[3 * v], nModel[3 * v + 1], nModel[3 * v + 2]];
          const [ax, ay, az] = [0, 1, 2].map((k) => R[3 * k] * mx + R[3 * k + 1] * my + R[3 * k + 2] * mz);
          gGeo[0] += ay * gz - az * gy;
          gGeo[1] += az * gx - ax * gz;
          gGeo[2] += ax * gy - ay * gx;
          for (let k = 0; k < 3; k++) gNm[3 * v + k] = R[k] * gx + R[3 + k] * gy + R[6 + k] * gz;
        }
        if (geometric) {
          const gFromNormals = vertexNormalsBackward(shape, model.modelTriangles, gNm, sums);
          for (let i = 0; i < gP.length; i++) gP[i] += gFromNormals[i];
          gGeo[6] = gf * focal;
          gGeo.set(blendTranspose(model, M, gP), GEOMETRY_PARAMS);
        }
        const imageGrad = Float64Array.from(gGeo);

        // The point term and the priors, with their Gauss–Newton Hessian where a step is planned from
        // here (a trial needs the loss alone, and its gradient only for the secant pair).
        const cam = {
          rotation: R,
          translation: T,
          focal,
          centre: [target.width / 2, target.height / 2] as [number, number],
        };
        const term = pointTerm(shape, model.basis, M, cam, points, geometric && trial === accepted);
        loss += term.value;
        const hessian = term.hessian;
        for (let i = 0; i < G; i++) gGeo[i] += term.grad[i];
        for (let m = 0; m < M; m++) {
          const k = GEOMETRY_PARAMS + m;
          const inv = w.prior / (model.sigma[m] * model.sigma[m]);
          loss += 0.5 * inv * weights[m] * weights[m];
          gGeo[k] += inv * weights[m];
          hessian[k * G + k] += inv;
        }
        const df = trial.logF - logF0;
        loss += (0.5 * df * df) / (focalSigma * focalSigma);
        gGeo[6] += df / (focalSigma * focalSigma);
        hessian[6 * G + 6] += 1 / (focalSigma * focalSigma);
        const a0 = init.albedo;
        for (let i = 0; i < a0.length; i++) {
          const d = p[lay.albedo + i] - a0[i];
          loss += (0.5 * w.albedoPrior * d * d) / a0.length;
          grad[lay.albedo + i] = g.albedo[i] + (w.albedoPrior * d) / a0.length;
        }
        // Evaluations alternate between a reference (the accepted geometry under the current light and
        // albedo) and trials from it under the same light and albedo, so acceptance compares geometries
        // alone: a trial that lowers the loss is kept and only then do light and albedo take their Adam
        // step (the next evaluation is the new reference); a rejected trial is followed by a shorter one.
        const stepAppearance = () => {
          const gT = Tensor.fromArray(ctx, grad, [1, 1, 1, lay.count], 'abs.grad');
          adam.step(gT);
          gT.dispose();
        };
        if (!(lv.geometry ?? true)) {
          stepAppearance();
        } else if (trial === accepted) {
          acceptedLoss = loss;
          acceptedImageGrad = imageGrad;
          acceptedGrad = gGeo;
          acceptedHessian = hessian;
          trial = stepFrom(accepted);
        } else if (loss <= acceptedLoss) {
          acceptedSteps++;
          const rho = predicted > 0 ? (acceptedLoss - loss) / predicted : 1;
          mu = Math.max(mu * Math.max(1 / 3, 1 - (2 * rho - 1) ** 3), 1e-9);
          nu = 2;
          radius = Math.min(STEP_RADIUS, 2 * radius);
          // Both gradients are under the same light and albedo: an exact secant pair.
          if (acceptedImageGrad && lastStep)
            bfgsUpdate(
              imageCurvature,
              lastStep,
              imageGrad.map((x, i) => x - acceptedImageGrad![i]),
            );
          accepted = trial;
          stepAppearance();
          trial = accepted;
        } else {
          // A rejected step: more damping and half the radius (the radius binds first on long steps).
          mu = Math.min(mu * nu, 1e9);
          nu *= 2;
          radius /= 2;
          trial = stepFrom(accepted);
        }
        history.push(loss);
        options.onProgress?.({ iteration: iteration + 1, total, loss, level: li });
      }
    }
    p = await params.read();
  } finally {
    adam.dispose();
    params.dispose();
    tris.dispose();
  }
  return {
    params: {
      rotation: accepted.rotation,
      translation: [accepted.translation[0], accepted.translation[1], accepted.translation[2]],
      focal: Math.exp(accepted.logF),
      weights: Float64Array.from(accepted.weights),
      sh: Float64Array.from(p.subarray(lay.sh, lay.sh + 27)),
      albedo: p.slice(lay.albedo, lay.count),
      albedoSize: ts,
    },
    history,
    iterations: history.length,
    acceptedSteps,
    seconds: (performance.now() - t0) / 1000,
  };
}
