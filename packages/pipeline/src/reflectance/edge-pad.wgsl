// One step of edge padding (per texel): a texel outside the known set takes the mean of its known
// 4-neighbours and becomes known; known texels are copied. A few steps give every island a rim of
// its own colour, so a bilinear tap or a small mip at its edge does not read a neighbouring island.

struct Params {
  width: u32,
  height: u32,
}

@group(0) @binding(0) var<storage, read> values: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> known: array<vec4<f32>>;       // lane 0: 1 = known
@group(0) @binding(2) var<storage, read_write> out_values: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> out_known: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= u.width || gid.y >= u.height) { return; }
  let i = gid.y * u.width + gid.x;
  if (known[i].x > 0.5) {
    out_values[i] = values[i];
    out_known[i] = vec4<f32>(1.0, 0.0, 0.0, 0.0);
    return;
  }
  var sum = vec4<f32>(0.0);
  var n = 0.0;
  let x = i32(gid.x);
  let y = i32(gid.y);
  let offsets = array<vec2<i32>, 4>(vec2<i32>(-1, 0), vec2<i32>(1, 0), vec2<i32>(0, -1), vec2<i32>(0, 1));
  for (var k = 0u; k < 4u; k++) {
    let p = vec2<i32>(x, y) + offsets[k];
    if (p.x < 0 || p.y < 0 || p.x >= i32(u.width) || p.y >= i32(u.height)) { continue; }
    let j = u32(p.y) * u.width + u32(p.x);
    if (known[j].x > 0.5) {
      sum += values[j];
      n += 1.0;
    }
  }
  out_values[i] = select(values[i], sum / max(n, 1.0), n > 0.0);
  out_known[i] = vec4<f32>(select(0.0, 1.0, n > 0.0), 0.0, 0.0, 0.0);
}
