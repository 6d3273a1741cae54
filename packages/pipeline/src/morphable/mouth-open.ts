// How far apart a photo's lips are (FaceMesh's points), and what the head fit makes of it. The ICT
// mouth's inner-lip vertices only move apart through the expression modes, which the photo fit keeps
// on a tight prior, and FaceMesh's inner-lip points, matched to the nearest vertices of a closed mouth,
// hold it closed. So when the photo's lips are apart, the inner-lip landmarks weigh more, the
// inner-lip loop is left out of the dense matches and the expression prior loosens, graded by how far
// apart the lips are. Closed lips
// get factors of exactly 1: the same fit, bit for bit. Pure functions.

/** FaceMesh's inner-lip loop, clockwise from the right mouth corner (the subject's right, image left). */
export const FACEMESH_INNER_LIP = [
  78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95,
];
/** FaceMesh's outer-lip loop (the vermilion border), in the same order. */
export const FACEMESH_OUTER_LIP = [
  61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146,
];

/** FaceMesh points facing each other across the opening: where multi-PIE's 61/67, 62/66, 63/65 sit. */
const FACEMESH_INNER_PAIRS = [
  [82, 87],
  [13, 14],
  [312, 317],
] as const;
/** The same pairs in the 68-point set. */
const INNER_PAIRS_68 = [
  [61, 67],
  [62, 66],
  [63, 65],
] as const;
/** FaceMesh's outer eye corners (multi-PIE 36 and 45). */
const EYE_CORNERS = [33, 263] as const;

/**
 * The photo's lip gap: the mean 3-D distance between FaceMesh's facing inner-lip points over the
 * distance between the outer eye corners. The eyes, not the mouth's width, give the scale because a
 * smile widens the mouth as it opens it; 3-D (FaceMesh's z is in pixels too) so that a turned or
 * tilted head reads the same. Closed lips read ~0.01–0.02 (FaceMesh's inner-lip points do not quite
 * meet), the bundled sample's open smile 0.125. points: [≥ 468·3].
 */
export function lipGap(points: ArrayLike<number>): number {
  const dist = (a: number, b: number) =>
    Math.hypot(
      points[3 * a] - points[3 * b],
      points[3 * a + 1] - points[3 * b + 1],
      points[3 * a + 2] - points[3 * b + 2],
    );
  const gap = FACEMESH_INNER_PAIRS.reduce((s, [a, b]) => s + dist(a, b), 0) / FACEMESH_INNER_PAIRS.length;
  return gap / dist(...EYE_CORNERS);
}

/** The lip gaps (lipGap) at which the fit takes the mouth as closed, and as fully open. */
export interface MouthOpenRamp {
  closed: number;
  open: number;
}

/**
 * Closed up to 0.04 (twice the most the closed mouths of the eval's subjects and Grace Hopper read,
 * 0.021), fully open from 0.10 (lips ~9 mm apart on an average face; the bundled sample reads 0.125).
 */
export const MOUTH_OPEN_RAMP: MouthOpenRamp = { closed: 0.04, open: 0.1 };

/** 0 for closed lips, 1 for clearly open ones, a smooth step between. */
export function mouthOpenness(gap: number, ramp: MouthOpenRamp = MOUTH_OPEN_RAMP): number {
  const x = Math.min(1, Math.max(0, (gap - ramp.closed) / (ramp.open - ramp.closed)));
  return x * x * (3 - 2 * x);
}

/**
 * Weight of the inner-lip landmarks (60–67) against the others on a fully open mouth. Measured on the
 * sample (landmark fit on the CPU): at 1 the fit opens the inner lips to 1.5 px of the photo's 7.5,
 * at 16 to 6.1 px.
 */
export const OPEN_INNER_LIP_WEIGHT = 16;

/**
 * Prior σ of the expression weights on a fully open mouth (the photo fit's is 0.2). That prior was set
 * on neutral faces, where the detector's offsets must not be explained as expressions; lips clearly
 * apart say the face is not neutral. Measured on the sample (landmark fit on the CPU, inner lips 16×):
 * σ 0.2 opens the inner lips to 5.3 px of the photo's 7.4 with a mean landmark error of 3.11 px, 0.5 to
 * 6.5 px with 2.57 px; 0.7 to 6.8 px with 2.45 px, but puffs the cheeks (cheekPuff 0.3). Loosening
 * only the modes that part the lips (to 1.0: 6.45 px, 2.80 px) cost the sample's FaceRes identity
 * far more (0.507 / 0.434 → 0.468 / 0.425 frontal / 30°).
 */
export const OPEN_EXPRESSION_SIGMA = 0.5;

/** The expression prior's σ for a mouth this open: `closed` (the fit's own) at 0, OPEN_EXPRESSION_SIGMA at 1. */
export function openMouthExpressionSigma(closed: number, openness: number): number {
  return closed + (Math.max(closed, OPEN_EXPRESSION_SIGMA) - closed) * openness;
}

/**
 * Factors on the head fit's point weights for a mouth this open (mouthOpenness): the 68 landmarks
 * (inner lips 1 → OPEN_INNER_LIP_WEIGHT) and FaceMesh's 468 dense points (the inner-lip loop 1 → 0).
 */
export function openMouthWeights(openness: number): { landmarks: Float64Array; dense: Float64Array } {
  const landmarks = new Float64Array(68).fill(1);
  for (let i = 60; i < 68; i++) landmarks[i] = 1 + (OPEN_INNER_LIP_WEIGHT - 1) * openness;
  const dense = new Float64Array(468).fill(1);
  for (const i of FACEMESH_INNER_LIP) dense[i] = 1 - openness;
  return { landmarks, dense };
}

/** The mean gap between the facing inner-lip points of 68 landmarks [68·2], in their units (pixels). */
export function innerLipGap68(points: ArrayLike<number>): number {
  const dist = (a: number, b: number) =>
    Math.hypot(points[2 * a] - points[2 * b], points[2 * a + 1] - points[2 * b + 1]);
  return INNER_PAIRS_68.reduce((s, [a, b]) => s + dist(a, b), 0) / INNER_PAIRS_68.length;
}
