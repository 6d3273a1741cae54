// PatchMatch: which pixels may serve as a source patch centre. A pixel offering a class (classes.y)
// whose whole patch lies inside the image and is known gives that class; any other gives 0.

//@include flat-index

struct Params {
  h: u32,
  w: u32,
  radius: i32,
  count: u32,
}

@group(0) @binding(0) var<storage, read> known: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> classes: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> valid_out: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let x = i32(i % u.w);
  let y = i32(i / u.w);
  var cls = classes[i].y;
  if (x < u.radius || y < u.radius || x + u.radius >= i32(u.w) || y + u.radius >= i32(u.h)) { cls = 0.0; }
  for (var oy = -u.radius; oy <= u.radius && cls > 0.0; oy++) {
    for (var ox = -u.radius; ox <= u.radius; ox++) {
      if (known[u32(y + oy) * u.w + u32(x + ox)].x <= 0.5) { cls = 0.0; }
    }
  }
  valid_out[i] = vec4<f32>(cls, 0.0, 0.0, 0.0);
}
