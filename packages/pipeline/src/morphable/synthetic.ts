// Synthetic landmark data for testing fits: a random face of the model under a random pose,
// projected, with Gaussian pixel noise. The clean projections are kept as the reference.
import { rng } from '@avatarme/kernels/core/random.ts';
import { mat3Mul, rotationFromAxisAngle } from '../math/linalg.ts';
import { evaluateVertices, type MorphableModel } from './model.ts';
import { FRONTAL_ROTATION, projectPoints, type Pose } from './pose.ts';

export interface SyntheticFace {
  identity: Float64Array;
  expression: Float64Array;
  pose: Pose;
  /** Noise-free projections of `vertices` [n·2]. */
  clean: Float64Array;
  /** clean + N(0, noisePx²) per coordinate. */
  noisy: Float64Array;
}

export interface SyntheticOptions {
  /** Weights are uniform in ±weightRange. Default 2. */
  weightRange?: number;
  /** Largest |yaw|, |pitch|, |roll| in degrees. Defaults 30, 15, 10. */
  maxYawDeg?: number;
  maxPitchDeg?: number;
  maxRollDeg?: number;
  noisePx?: number;
  /** Model units → pixels. Default 14 (an ICT face, ~9 cm between outer eye corners, spans ~125 px). */
  pxPerUnit?: number;
  /** Vertices to project; default the 68 landmarks. */
  vertices?: ArrayLike<number>;
}

export function syntheticFace(model: MorphableModel, seed: number, o: SyntheticOptions = {}): SyntheticFace {
  const {
    weightRange = 2,
    maxYawDeg = 30,
    maxPitchDeg = 15,
    maxRollDeg = 10,
    noisePx = 1,
    pxPerUnit = 14,
  } = o;
  const r = rng(seed);
  const uni = (a: number) => (2 * r() - 1) * a;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const identity = Float64Array.from({ length: model.identity.count }, () => uni(weightRange));
  const expression = Float64Array.from({ length: model.expression.count }, () => uni(weightRange));
  const deg = Math.PI / 180;
  const turn = mat3Mul(
    rotationFromAxisAngle([0, uni(maxYawDeg) * deg, 0]),
    mat3Mul(
      rotationFromAxisAngle([uni(maxPitchDeg) * deg, 0, 0]),
      rotationFromAxisAngle([0, 0, uni(maxRollDeg) * deg]),
    ),
  );
  const pose: Pose = {
    rotation: mat3Mul(FRONTAL_ROTATION, turn),
    scale: pxPerUnit * (1 + uni(0.2)),
    translation: [256 + uni(40), 256 + uni(40), 0],
  };
  const vertices = o.vertices ?? model.landmarks;
  const clean = projectPoints(pose, evaluateVertices(model, vertices, identity, expression));
  const noisy = clean.map((v) => v + noisePx * gauss());
  return { identity, expression, pose, clean, noisy };
}
