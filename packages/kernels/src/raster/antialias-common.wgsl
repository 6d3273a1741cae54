// antialias-common: what antialias.wgsl and antialias-backward.wgsl share (after nvdiffrast's antialias
// op): Params, the bindings both read (pos, tris, rast, color and the uniform at 0..4; each kernel binds
// the rest from 5), and the pixel-pair analysis.
//
// Each pair of horizontally or vertically adjacent pixels whose triangle ids differ may straddle a
// silhouette edge. The nearer of the two pixels' triangles (an empty pixel is infinitely far) is the
// occluder T; its pixel is `inside`. The edge of T that the segment inside → outside leaves through
// is the silhouette, unless the outside pixel's triangle holds both of that edge's vertices (an
// interior edge between neighbours of one surface). Horizontal pairs take edges steeper than 45°,
// vertical pairs the others, so one edge is not blended twice. With the crossing at t ∈ [0, 1]
// along the segment (pixel spacing 1), T covers the outside pixel's footprint by a = t − 0.5 when
// t > 0.5 (the outside pixel moves towards the inside colour by a), and uncovers a = 0.5 − t of the
// inside pixel's footprint otherwise (the inside pixel moves towards the outside colour).

//@include raster-common

struct Params {
  width: u32,
  height: u32,
  c4: u32,
  pixel_count: u32,
}

@group(0) @binding(0) var<storage, read> pos: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> tris: array<u32>;
@group(0) @binding(2) var<storage, read> rast: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> color: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> u: Params;

// Pixel pix and its neighbour k (0 left, 1 right, 2 up, 3 down) as the pair (p, q), p the left or
// upper one; not valid past the image's edge.
struct NeighbourPair {
  valid: bool,
  p: u32,
  q: u32,
}

fn neighbour_pair(pix: u32, k: u32) -> NeighbourPair {
  let x = pix % u.width;
  let y = pix / u.width;
  var r = NeighbourPair(true, pix, pix);
  switch (k) {
    case 0u: { r.valid = x > 0u; r.p = pix - 1u; }
    case 1u: { r.valid = x + 1u < u.width; r.q = pix + 1u; }
    case 2u: { r.valid = y > 0u; r.p = pix - u.width; }
    default: { r.valid = y + 1u < u.height; r.q = pix + u.width; }
  }
  return r;
}

struct AaPair {
  valid: bool,
  inside: u32,     // pixel index covered by the occluder
  outside: u32,
  tri: u32,        // occluder triangle
  ea: u32,         // edge endpoints (corner indices 0..2 of tri), in the order orient() takes them
  eb: u32,
  e_in: f32,       // orient(sa, sb, ·) at the inside and outside pixel centres
  e_out: f32,
  t: f32,
}

fn pixel_centre(pix: u32) -> vec2<f32> {
  return vec2<f32>(f32(pix % u.width) + 0.5, f32(pix / u.width) + 0.5);
}

fn tri_has_vertex(t: u32, v: u32) -> bool {
  return tris[3u * t] == v || tris[3u * t + 1u] == v || tris[3u * t + 2u] == v;
}

// p and q adjacent with p the left or upper one, so both pixels of a pair find the same answer.
fn aa_pair(p: u32, q: u32, horizontal: bool) -> AaPair {
  var r: AaPair;
  r.valid = false;
  let rp = rast[p];
  let rq = rast[q];
  if (rp.w == rq.w) { return r; }
  let zp = select(3.0, rp.z, rp.w != 0.0);
  let zq = select(3.0, rq.z, rq.w != 0.0);
  let p_front = zp <= zq;
  r.inside = select(q, p, p_front);
  r.outside = select(p, q, p_front);
  r.tri = u32(select(rq.w, rp.w, p_front)) - 1u;
  let other = select(rp.w, rq.w, p_front);
  let size = vec2<f32>(f32(u.width), f32(u.height));
  let s = screen_triangle(r.tri, size);
  if (!s.valid) { return r; }
  let cin = pixel_centre(r.inside);
  let cout = pixel_centre(r.outside);
  var best = 2.0;
  for (var k = 0u; k < 3u; k++) {
    let a = (k + 1u) % 3u;
    let b = (k + 2u) % 3u;
    let sa = corner(s, a);
    let sb = corner(s, b);
    let d = sb - sa;
    if ((abs(d.y) > abs(d.x)) != horizontal) { continue; }
    let e_in = orient(sa, sb, cin);
    let e_out = orient(sa, sb, cout);
    // Inside on the triangle's side of the edge (orientation s.sign), outside strictly beyond it.
    if (e_in * s.sign < 0.0 || e_out * s.sign >= 0.0) { continue; }
    let t = e_in / (e_in - e_out);
    if (t >= best) { continue; }
    if (other != 0.0) {
      let ot = u32(other) - 1u;
      if (tri_has_vertex(ot, vertex_id(s, a)) && tri_has_vertex(ot, vertex_id(s, b))) { continue; }
    }
    best = t;
    r.valid = true;
    r.ea = a;
    r.eb = b;
    r.e_in = e_in;
    r.e_out = e_out;
    r.t = t;
  }
  return r;
}

// Which pixel of the pair changes, and by how much of the other's colour.
fn aa_target(r: AaPair) -> u32 {
  return select(r.inside, r.outside, r.t > 0.5);
}

fn aa_amount(r: AaPair) -> f32 {
  return abs(r.t - 0.5);
}
