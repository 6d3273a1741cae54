// raster-common: included by rasterize.wgsl and resolve.wgsl, so coverage and barycentrics come from
// the very same arithmetic in both passes. The includer binds the clip-space positions `pos` and the
// triangle indices `tris` (three u32 per triangle).
//
// Conventions (as nvdiffrast): vertex positions are clip-space (x, y, z, w); pixel (px, py) has its
// centre at ((px + 0.5) / W · 2 − 1, (py + 0.5) / H · 2 − 1) in NDC, so row 0 is NDC y = −1 (callers
// that think in image rows simply map row y to NDC 2y/H − 1). Depth is z/w in [−1, 1], smaller is
// nearer; fragments outside that range are clipped. Triangles with a vertex at w ≤ 0 are skipped
// (no near-plane clipping: the cameras of this project keep the face in front of them).
//
// Fill rule: a pixel centre is inside when every edge function is strictly positive (for the
// triangle's own orientation); a centre exactly on an edge belongs to the triangle for which that
// edge, walked with the interior on its positive side, points towards +y, or along y towards −x
// (a top-left rule). Edge functions are evaluated with the endpoints in vertex-index order and then
// negated as needed, so two triangles sharing an edge compute bit-identical values of opposite sign:
// a shared edge's pixels are covered exactly once, never twice, never zero times.

struct Screen {
  s0: vec2<f32>,
  s1: vec2<f32>,
  s2: vec2<f32>,
  z: vec3<f32>,
  inv_w: vec3<f32>,
  ids: vec3<u32>,
  sign: f32,      // +1 or −1: the triangle's orientation in screen space
  valid: bool,
}

fn corner(r: Screen, i: u32) -> vec2<f32> {
  if (i == 0u) { return r.s0; }
  if (i == 1u) { return r.s1; }
  return r.s2;
}

fn vertex_id(r: Screen, i: u32) -> u32 {
  if (i == 0u) { return r.ids.x; }
  if (i == 1u) { return r.ids.y; }
  return r.ids.z;
}

fn to_screen(p: vec4<f32>, size: vec2<f32>) -> vec2<f32> {
  return (p.xy / p.w * 0.5 + 0.5) * size;
}

fn orient(a: vec2<f32>, b: vec2<f32>, p: vec2<f32>) -> f32 {
  return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
}

fn screen_triangle(t: u32, size: vec2<f32>) -> Screen {
  var r: Screen;
  r.ids = vec3<u32>(tris[3u * t], tris[3u * t + 1u], tris[3u * t + 2u]);
  let p0 = pos[r.ids.x];
  let p1 = pos[r.ids.y];
  let p2 = pos[r.ids.z];
  r.valid = p0.w > 0.0 && p1.w > 0.0 && p2.w > 0.0 && r.ids.x != r.ids.y && r.ids.y != r.ids.z && r.ids.x != r.ids.z;
  if (!r.valid) { return r; }
  r.s0 = to_screen(p0, size);
  r.s1 = to_screen(p1, size);
  r.s2 = to_screen(p2, size);
  r.z = vec3<f32>(p0.z / p0.w, p1.z / p1.w, p2.z / p2.w);
  r.inv_w = vec3<f32>(1.0 / p0.w, 1.0 / p1.w, 1.0 / p2.w);
  let area = edge_value(r, 0u, r.s0);
  r.valid = area != 0.0;
  r.sign = select(-1.0, 1.0, area > 0.0);
  return r;
}

// Edge k runs from vertex k+1 to vertex k+2 (opposite vertex k).
fn edge_value(r: Screen, k: u32, p: vec2<f32>) -> f32 {
  let a = (k + 1u) % 3u;
  let b = (k + 2u) % 3u;
  let sa = corner(r, a);
  let sb = corner(r, b);
  if (vertex_id(r, a) < vertex_id(r, b)) { return orient(sa, sb, p); }
  return -orient(sb, sa, p);
}

fn owns_edge(r: Screen, k: u32) -> bool {
  let a = (k + 1u) % 3u;
  let b = (k + 2u) % 3u;
  // Direction computed in index order too, so that it is exactly antisymmetric between neighbours.
  let sa = corner(r, a);
  let sb = corner(r, b);
  var d = sb - sa;
  if (vertex_id(r, b) < vertex_id(r, a)) { d = -(sa - sb); }
  d = d * r.sign;
  return d.y > 0.0 || (d.y == 0.0 && d.x < 0.0);
}

// Screen-space barycentrics of pixel centre p, or a negative first lane when p is outside.
fn coverage(r: Screen, p: vec2<f32>) -> vec3<f32> {
  let e = vec3<f32>(edge_value(r, 0u, p), edge_value(r, 1u, p), edge_value(r, 2u, p)) * r.sign;
  for (var k = 0u; k < 3u; k++) {
    let v = select(select(e.z, e.y, k == 1u), e.x, k == 0u);
    if (v < 0.0 || (v == 0.0 && !owns_edge(r, k))) { return vec3<f32>(-1.0); }
  }
  return e / (e.x + e.y + e.z);
}
