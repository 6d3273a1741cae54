// Push-pull inpainting, pull step at level k: pixels with weight > 0 (some known pixel below them;
// at level 0, mask > 0.5) keep their colour; the others take the bilinear up-sampling of the filled
// level k+1 (coarse pixel j covers fine pixels 2j and 2j+1, so fine p samples coarse (p + 0.5)/2 − 0.5,
// clamped to the edge).

//@include flat-index
//@include nhwc
//@include pyramid

@group(0) @binding(0) var<storage, read> colour: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> weight: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> coarse: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> filled: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

fn coarse_at(n: u32, y: i32, x: i32, c: u32) -> vec4<f32> {
  let yy = u32(clamp(y, 0, i32(u.coarse_h) - 1));
  let xx = u32(clamp(x, 0, i32(u.coarse_w) - 1));
  return coarse[coarse_index(n, yy, xx, c)];
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let o = nhwc_decode(i, u.fine_h, u.fine_w, u.c4);
  let wt = weight[fine_pixel(o.n, o.y, o.x)].x;
  let known = select(wt > 0.0, wt > 0.5, u.binary_mask == 1u);
  if (known) {
    filled[i] = colour[i];
    return;
  }
  let sy = max(f32(o.y) * 0.5 - 0.25, 0.0);
  let sx = max(f32(o.x) * 0.5 - 0.25, 0.0);
  let fy = floor(sy);
  let fx = floor(sx);
  let y0 = i32(fy);
  let x0 = i32(fx);
  let top = mix(coarse_at(o.n, y0, x0, o.g), coarse_at(o.n, y0, x0 + 1, o.g), sx - fx);
  let bottom = mix(coarse_at(o.n, y0 + 1, x0, o.g), coarse_at(o.n, y0 + 1, x0 + 1, o.g), sx - fx);
  filled[i] = mix(top, bottom, sy - fy);
}
