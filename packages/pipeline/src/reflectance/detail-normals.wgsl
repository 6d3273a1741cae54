// Analytic reflectance, pass 2: tangent-space normals from the high frequencies of the albedo's
// luminance, read as a height field (darker = deeper: pores, wrinkles). h = strength · (L − blur(L));
// n = normalize(−∂h/∂x, +∂h/∂y, 1) in OpenGL convention (+Y green = up in the image, and image rows
// grow downwards, hence the sign). Stored as n · 0.5 + 0.5.

struct Params {
  width: u32,
  height: u32,
  strength: f32,
}

@group(0) @binding(0) var<storage, read> luminance: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> blurred: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> normals: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

fn height_at(x: i32, y: i32) -> f32 {
  let cx = u32(clamp(x, 0, i32(u.width) - 1));
  let cy = u32(clamp(y, 0, i32(u.height) - 1));
  let i = cy * u.width + cx;
  return u.strength * (luminance[i].x - blurred[i].x);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= u.width || gid.y >= u.height) { return; }
  let x = i32(gid.x);
  let y = i32(gid.y);
  let dx = 0.5 * (height_at(x + 1, y) - height_at(x - 1, y));
  let dy = 0.5 * (height_at(x, y + 1) - height_at(x, y - 1));
  let n = normalize(vec3<f32>(-dx, dy, 1.0));
  normals[gid.y * u.width + gid.x] = vec4<f32>(n * 0.5 + 0.5, 0.0);
}
