// Adds one tile into a running weighted sum for sliding-window blending: for tile pixel (ty, tx) at
// image pixel (y0 + ty, x0 + tx), acc += w·tile and weight_sum += w, where w is the product of
// raised-cosine ramps 0.5 − 0.5·cos(π(k + 0.5)/r) over the k-th pixel in from each edge whose ramp
// width r is non-zero (see tile-plan.ts). Each output element is touched by one invocation.

//@include flat-index
//@include nhwc

struct Params {
  h: u32,
  w: u32,
  c4: u32,
  th: u32,
  tw: u32,
  y0: u32,
  x0: u32,
  count: u32,
  top: u32,
  bottom: u32,
  left: u32,
  right: u32,
}

@group(0) @binding(0) var<storage, read> tile: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> acc: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> weight_sum: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

const PI: f32 = 3.14159265358979;

// sin on [−π/2, π/2] by its Taylor series to x¹¹ (remainder < 6e-8): WGSL's built-in sin/cos only
// promise an absolute error of 2⁻¹¹, far too coarse for weights that must sum to 1.
fn sin_half_period(x: f32) -> f32 {
  let x2 = x * x;
  return x * (1.0 + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 + x2 * (1.0 / 362880.0 - x2 / 39916800.0)))));
}

// 0.5 − 0.5·cos(π·t) for t = (k + 0.5)/width in (0, 1), written as 0.5 + 0.5·sin(π(t − 0.5)).
fn ramp(k: u32, width: u32) -> f32 {
  if (k >= width) { return 1.0; }
  let t = (f32(k) + 0.5) / f32(width);
  return 0.5 + 0.5 * sin_half_period(PI * (t - 0.5));
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let t = nhwc_decode(i, u.th, u.tw, u.c4);
  let c = t.g;
  let tx = t.x;
  let ty = t.y;
  let wt = ramp(ty, u.top) * ramp(u.th - 1u - ty, u.bottom) * ramp(tx, u.left) * ramp(u.tw - 1u - tx, u.right);
  let p = (u.y0 + ty) * u.w + u.x0 + tx;
  acc[p * u.c4 + c] += wt * tile[i];
  if (c == 0u) {
    weight_sum[p].x += wt;
  }
}
