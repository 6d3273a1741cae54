// CPU reference of the fixed-point scatter-add (atomic-add.wgsl, fixed-point.wgsl): addends rounded to
// 64-bit integers in units of 2^-32, summed exactly (BigInt), converted back as the GPU does.

const ONE = 2 ** 32;
const WORD = 1n << 32n;
const SIXTY_FOUR = 1n << 64n;

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

/** The integer a float32 addend becomes (units of 2^-32), as atomic_add_f32 forms it. */
export function fixedPointAddend(v: number): bigint {
  const f = Math.fround(v);
  if (Math.abs(f) < 2 ** -8) return BigInt(roundHalfEven(f * ONE));
  const c = Math.min(Math.max(f, -(2 ** 31)), 2147483520);
  return BigInt(c * ONE); // exact: c is a multiple of 2^-32 and |c·2^32| < 2^63
}

/** The float32 fixed_to_f32 gives for a sum (wrapped to 64-bit two's complement). */
export function fixedPointToFloat(sum: bigint): number {
  let s = ((sum % SIXTY_FOUR) + SIXTY_FOUR) % SIXTY_FOUR;
  const negative = s >= SIXTY_FOUR / 2n;
  if (negative) s = SIXTY_FOUR - s;
  const hi = Number(s / WORD) % ONE;
  const lo = Number(s % WORD);
  // As the GPU: four exact 16-bit pieces, summed from the largest with a float32 rounding after each
  // sum (double sums are exact up to magnitudes of 2^20, where the last piece needs 53 bits).
  const f = Math.fround;
  const pieces = [
    Math.floor(hi / 65536) * 65536,
    hi % 65536,
    Math.floor(lo / 65536) / 65536,
    (lo % 65536) / ONE,
  ];
  const m = pieces.reduce((acc, p) => f(acc + p));
  return negative ? -m : m;
}
