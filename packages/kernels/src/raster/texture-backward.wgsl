// Adjoint of bilinear texture(): one invocation per pixel. The four taps' weights times ∂L/∂out are
// scattered into the texture gradient (atomic_add; clamped taps that land on one texel add up, as
// they did in the forward), and ∂L/∂coords = ⟨∂L/∂out, ∂out/∂p⟩ · ∂p/∂coords per pixel (lanes x, y
// of grad_coords). SPACE as in texture.wgsl; HAS_MASK: pixels with raster id 0 get no gradient.

//@include flat-index

struct Params {
  tex_w: u32,
  tex_h: u32,
  c4: u32,
  coord_c4: u32,
  pixel_count: u32,
}

@group(0) @binding(0) var<storage, read> tex: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> coords: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> mask: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> acc: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> grad_coords: array<vec4<f32>>;
@group(0) @binding(6) var<uniform> u: Params;

//@include atomic-add

fn texel_index(x: i32, y: i32) -> u32 {
  let cx = u32(clamp(x, 0, i32(u.tex_w) - 1));
  let cy = u32(clamp(y, 0, i32(u.tex_h) - 1));
  return cy * u.tex_w + cx;
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let pix = flat_index(gid, grid);
  if (pix >= u.pixel_count) { return; }
  if ({{HAS_MASK}} == 1 && mask[pix].w == 0.0) {
    grad_coords[pix] = vec4<f32>(0.0);
    return;
  }
  let c = coords[pix * u.coord_c4].xy;
  let size = vec2<f32>(f32(u.tex_w), f32(u.tex_h));
  let p = select(c, c * size, {{SPACE}} == 0) - 0.5;
  let f = floor(p);
  let w = p - f;
  let x = i32(f.x);
  let y = i32(f.y);
  let k00 = texel_index(x, y) * u.c4;
  let k10 = texel_index(x + 1, y) * u.c4;
  let k01 = texel_index(x, y + 1) * u.c4;
  let k11 = texel_index(x + 1, y + 1) * u.c4;
  var dwx = 0.0;
  var dwy = 0.0;
  for (var g = 0u; g < u.c4; g++) {
    let d = dy[pix * u.c4 + g];
    let t00 = tex[k00 + g];
    let t10 = tex[k10 + g];
    let t01 = tex[k01 + g];
    let t11 = tex[k11 + g];
    dwx += dot(d, mix(t10 - t00, t11 - t01, w.y));
    dwy += dot(d, mix(t01, t11, w.x) - mix(t00, t10, w.x));
    atomic_add_vec4(k00 + g, (1.0 - w.x) * (1.0 - w.y) * d);
    atomic_add_vec4(k10 + g, w.x * (1.0 - w.y) * d);
    atomic_add_vec4(k01 + g, (1.0 - w.x) * w.y * d);
    atomic_add_vec4(k11 + g, w.x * w.y * d);
  }
  let scale = select(vec2<f32>(1.0), size, {{SPACE}} == 0);
  grad_coords[pix] = vec4<f32>(dwx * scale.x, dwy * scale.y, 0.0, 0.0);
}
