// atomic-add: order-independent float addition for the scatter-adds of the backward passes (many
// pixels add into one vertex or texel). WGSL has atomics on u32/i32 only, and a float sum built with
// compare-exchange depends on the order the invocations happen to run in: its last bits changed from
// run to run, and a fit that keeps or rejects trial steps on the loss then diverged. Here each value
// is a 64-bit two's-complement fixed-point number with 32 fraction bits (resolution 2^-32 ≈ 2.3e-10,
// range ±2^31), held in two words (low, high): integer addition is associative, so the sum is the
// same bits in any order. fixed-point.wgsl turns the words back into floats.
//
// Each addend is rounded to the nearest multiple of 2^-32 (|v| ≥ 2^-8 already is one: its f32 ulp is
// ≥ 2^-32; ties to even) and its magnitude clamped below 2^31. A sum past ±2^31 wraps (modulo 2^64): the gradients scattered here
// stay far inside (backward.ts states the bound). The includer binds `acc: array<atomic<u32>>` with
// two words per value, cleared to zero before the pass.

const FIXED_ONE: f32 = 4294967296.0; // 2^32: one unit in fixed point
const FIXED_SMALL: f32 = 0.00390625; // 2^-8: below it v·2^32 < 2^24 rounds to an exact integer

fn atomic_add_f32(i: u32, v: f32) {
  // The magnitude is split exactly (the fraction of a positive float ≥ 2^-8 is a multiple of 2^-32;
  // that of a negative one, 1 − its fraction, need not be a float), then negated in two's complement.
  let a = min(abs(v), 2147483520.0);
  var lo: u32;
  var hi = 0u;
  if (a < FIXED_SMALL) {
    lo = u32(round(a * FIXED_ONE));
    if (lo == 0u) { return; }
  } else {
    let f = floor(a);
    hi = u32(f);
    lo = u32((a - f) * FIXED_ONE);
  }
  if (v < 0.0) {
    lo = ~lo + 1u;
    hi = ~hi + select(0u, 1u, lo == 0u);
  }
  // The carry out of the low word is decided by this addition alone (old + lo wrapped), so the high
  // word receives exactly the number of wraps the low word's total makes, in any order.
  let old = atomicAdd(&acc[2u * i], lo);
  let carry = select(0u, 1u, old > 0xffffffffu - lo);
  let add_hi = hi + carry;
  if (add_hi != 0u) { atomicAdd(&acc[2u * i + 1u], add_hi); }
}

fn atomic_add_vec4(i: u32, v: vec4<f32>) {
  atomic_add_f32(4u * i, v.x);
  atomic_add_f32(4u * i + 1u, v.y);
  atomic_add_f32(4u * i + 2u, v.z);
  atomic_add_f32(4u * i + 3u, v.w);
}
