// atomic-add: float addition into a storage array of 32-bit words, for the scatter-adds of the
// backward passes (many pixels add into one vertex or texel). WGSL has atomics on u32/i32 only. A
// fixed-point sum (atomicAdd of round(v · 2^k)) would need a scale chosen ahead for gradients that
// span 1e-8 … 1e2 and can overflow; a compare-exchange loop on the f32's bits adds in full f32
// precision with no scale, and costs only retries when two invocations hit the same word at once
// (a few per vertex or texel at the sizes fitted here). The includer binds `acc: array<atomic<u32>>`
// (cleared to zero = 0.0f before the pass). Summation order varies between runs (last-bit changes).

fn atomic_add_f32(i: u32, v: f32) {
  if (v == 0.0) { return; }
  var old = atomicLoad(&acc[i]);
  loop {
    let r = atomicCompareExchangeWeak(&acc[i], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}

fn atomic_add_vec4(i: u32, v: vec4<f32>) {
  atomic_add_f32(4u * i, v.x);
  atomic_add_f32(4u * i + 1u, v.y);
  atomic_add_f32(4u * i + 2u, v.z);
  atomic_add_f32(4u * i + 3u, v.w);
}
