// Fixed point → float: one invocation per vec4 of the output. Each value is a 64-bit two's-complement
// number (low word, high word) with 32 fraction bits, as atomic-add.wgsl accumulated it. The
// magnitude is converted (high + low·2^-32) and the sign applied after, so a small negative value
// (high word all ones) keeps its float precision instead of cancelling against −1.

//@include flat-index

struct Params {
  count: u32,
}

@group(0) @binding(0) var<storage, read> acc: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

fn fixed_to_f32(lo: u32, hi: u32) -> f32 {
  let negative = (hi >> 31u) != 0u;
  var m_lo = lo;
  var m_hi = hi;
  if (negative) {
    m_lo = ~lo + 1u;
    m_hi = ~hi + select(0u, 1u, m_lo == 0u);
  }
  // 16-bit pieces convert to f32 exactly (SwiftShader's u32 → f32 of a full word was seen to round
  // down where round-to-nearest rounds up); summed from the largest, each sum rounds once.
  let m = f32(m_hi >> 16u) * 65536.0 + f32(m_hi & 0xffffu) + f32(m_lo >> 16u) * (1.0 / 65536.0) +
    f32(m_lo & 0xffffu) * (1.0 / 4294967296.0);
  return select(m, -m, negative);
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let a = acc[2u * i];
  let b = acc[2u * i + 1u];
  dst[i] = vec4<f32>(fixed_to_f32(a.x, a.y), fixed_to_f32(a.z, a.w), fixed_to_f32(b.x, b.y), fixed_to_f32(b.z, b.w));
}
