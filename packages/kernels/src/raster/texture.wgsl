// Samples an NHWC image (batch 1) at per-pixel coordinates (nvdiffrast's texture, without mipmaps).
// Coordinates are channels 0 and 1 of `coords`: UV in [0, 1] with texel centres at (i + 0.5) / size
// (SPACE 0), or pixels with pixel centres at i + 0.5 (SPACE 1). Addressing clamps to the edge.
// FILTER 0 = nearest, 1 = bilinear. With HAS_MASK, pixels whose raster id (lane w) is 0 get zeros.

//@include flat-index

struct Params {
  tex_w: u32,
  tex_h: u32,
  c4: u32,
  coord_c4: u32,
  count: u32,
}

@group(0) @binding(0) var<storage, read> tex: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> coords: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> mask: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

fn texel(x: i32, y: i32, g: u32) -> vec4<f32> {
  let cx = u32(clamp(x, 0, i32(u.tex_w) - 1));
  let cy = u32(clamp(y, 0, i32(u.tex_h) - 1));
  return tex[(cy * u.tex_w + cx) * u.c4 + g];
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let g = i % u.c4;
  let pix = i / u.c4;
  if ({{HAS_MASK}} == 1 && mask[pix].w == 0.0) {
    dst[i] = vec4<f32>(0.0);
    return;
  }
  let c = coords[pix * u.coord_c4].xy;
  let size = vec2<f32>(f32(u.tex_w), f32(u.tex_h));
  // Continuous texel coordinates with texel centres on integers.
  let p = select(c, c * size, {{SPACE}} == 0) - 0.5;
  if ({{FILTER}} == 0) {
    dst[i] = texel(i32(floor(p.x + 0.5)), i32(floor(p.y + 0.5)), g);
    return;
  }
  let f = floor(p);
  let w = p - f;
  let x = i32(f.x);
  let y = i32(f.y);
  let top = mix(texel(x, y, g), texel(x + 1, y, g), w.x);
  let bottom = mix(texel(x, y + 1, g), texel(x + 1, y + 1, g), w.x);
  dst[i] = mix(top, bottom, w.y);
}
