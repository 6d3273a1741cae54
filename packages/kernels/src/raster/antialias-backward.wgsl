// Adjoint of antialias: one invocation per pixel. Colour gradients are gathered (a pixel collects
// from its four pairs what flowed into and out of it, mirroring the forward), position gradients
// of the silhouette edges are scattered with atomic_add, each pair counted once by its left or
// upper pixel. With out_dst = c_dst + a·(c_src − c_dst) and a = ±(t − 0.5), t = e_in / (e_in − e_out),
// e = orient(sa, sb, P): ∂L/∂a = ⟨g_dst, c_src − c_dst⟩, and t moves with the edge's screen
// endpoints, which move with the clip-space x, y, w of its two vertices (z does not enter).

//@include flat-index
//@include antialias-common

@group(0) @binding(5) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> grad_color: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read_write> acc: array<atomic<u32>>;

//@include atomic-add

// ∂(screen xy)/∂(clip x, y, w) of one vertex, scattered with the screen gradient gs.
fn scatter_screen(v: u32, gs: vec2<f32>) {
  let p = pos[v];
  let half = 0.5 * vec2<f32>(f32(u.width), f32(u.height));
  let gx = gs.x * half.x / p.w;
  let gy = gs.y * half.y / p.w;
  atomic_add_f32(4u * v, gx);
  atomic_add_f32(4u * v + 1u, gy);
  atomic_add_f32(4u * v + 3u, -(gx * p.x + gy * p.y) / p.w);
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let pix = flat_index(gid, grid);
  if (pix >= u.pixel_count) { return; }
  for (var g = 0u; g < u.c4; g++) {
    grad_color[pix * u.c4 + g] = dy[pix * u.c4 + g];
  }
  for (var k = 0u; k < 4u; k++) {
    let pair = neighbour_pair(pix, k);
    if (!pair.valid) { continue; }
    let p = pair.p;
    let q = pair.q;
    let r = aa_pair(p, q, k < 2u);
    if (!r.valid) { continue; }
    let dst_pix = aa_target(r);
    let src_pix = select(r.inside, r.outside, dst_pix == r.inside);
    let a = aa_amount(r);
    // Colour: out_dst = (1 − a)·c_dst + a·c_src.
    let wgt = select(a, -a, dst_pix == pix);
    var da = 0.0;
    for (var g = 0u; g < u.c4; g++) {
      let gd = dy[dst_pix * u.c4 + g];
      grad_color[pix * u.c4 + g] += wgt * gd;
      da += dot(gd, color[src_pix * u.c4 + g] - color[dst_pix * u.c4 + g]);
    }
    // Positions: once per pair (from its left or upper pixel).
    if (p != pix || da == 0.0) { continue; }
    let dt = select(-da, da, r.t > 0.5);
    let den = r.e_in - r.e_out;
    let de_in = -r.e_out / (den * den) * dt;
    let de_out = r.e_in / (den * den) * dt;
    let size = vec2<f32>(f32(u.width), f32(u.height));
    let s = screen_triangle(r.tri, size);
    let sa = corner(s, r.ea);
    let sb = corner(s, r.eb);
    let cin = pixel_centre(r.inside);
    let cout = pixel_centre(r.outside);
    // e(P) = (b.x − a.x)(P.y − a.y) − (b.y − a.y)(P.x − a.x)
    let gb = de_in * vec2<f32>(cin.y - sa.y, sa.x - cin.x) + de_out * vec2<f32>(cout.y - sa.y, sa.x - cout.x);
    let ga = de_in * vec2<f32>(sb.y - cin.y, cin.x - sb.x) + de_out * vec2<f32>(sb.y - cout.y, cout.x - sb.x);
    scatter_screen(vertex_id(s, r.ea), ga);
    scatter_screen(vertex_id(s, r.eb), gb);
  }
}
