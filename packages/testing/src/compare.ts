export interface Comparison {
  ok: boolean;
  maxAbs: number;
  worstIndex: number;
  mismatches: number;
  message: string;
}

/**
 * Element-wise |actual - expected| <= atol + rtol·|expected|. NaN anywhere is a mismatch. The message
 * names the worst element so a failure says where to look.
 */
export function compareArrays(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { atol = 1e-4, rtol = 0, label = 'output' }: { atol?: number; rtol?: number; label?: string } = {},
): Comparison {
  if (actual.length !== expected.length) {
    return {
      ok: false,
      maxAbs: Infinity,
      worstIndex: -1,
      mismatches: Math.abs(actual.length - expected.length),
      message: `${label}: length ${actual.length} != expected ${expected.length}`,
    };
  }
  let maxAbs = 0;
  let worstIndex = -1;
  let mismatches = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const d = Math.abs(a - e);
    const bad = !(d <= atol + rtol * Math.abs(e)) || Number.isNaN(a) !== Number.isNaN(e);
    if (bad) mismatches++;
    if (d > maxAbs || (Number.isNaN(d) && worstIndex < 0) || (bad && worstIndex < 0)) {
      if (!Number.isNaN(d)) maxAbs = Math.max(maxAbs, d);
      worstIndex = i;
    }
  }
  const ok = mismatches === 0;
  const w =
    worstIndex >= 0 ? ` worst at [${worstIndex}]: ${actual[worstIndex]} vs ${expected[worstIndex]}` : '';
  return {
    ok,
    maxAbs,
    worstIndex,
    mismatches,
    message: `${label}: ${mismatches}/${actual.length} outside atol ${atol}${rtol ? ` rtol ${rtol}` : ''}, max |diff| ${maxAbs.toExponential(3)}${w}`,
  };
}

/** Throws with compareArrays' message when the arrays differ. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  opts?: { atol?: number; rtol?: number; label?: string },
): Comparison {
  const c = compareArrays(actual, expected, opts);
  if (!c.ok) throw new Error(c.message);
  return c;
}
