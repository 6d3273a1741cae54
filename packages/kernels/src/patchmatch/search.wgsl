// PatchMatch, one parallel search pass (Barnes et al. 2009, jump-flooding propagation as in GPU
// PatchMatch): each target pixel re-scores its match on the current working image, then tries its
// four neighbours' matches at distance `step` shifted back by that step (propagation), then random
// candidates around its best in windows of half-width search_radius, search_radius/2, …, 1, then one
// uniform draw over the image. Reads nnf_in, writes nnf_out: no pixel sees another's update.

//@include flat-index
//@include patchmatch-params

@group(0) @binding(0) var<storage, read> levels: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> known: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> classes: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> valid: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> nnf_in: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> nnf_out: array<vec4<f32>>;
@group(0) @binding(6) var<uniform> u: Params;

//@include patchmatch-common

fn source_of(i: u32) -> i32 {
  return i32(nnf_in[i].x);
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  if (!pm_is_target(i)) {
    nnf_out[i] = nnf_in[i];
    return;
  }
  let p = pm_pixel(i);
  let cls = classes[i].x;
  var best = Match(NO_MATCH, 0u);
  if (source_of(i) >= 0) { best = Match(u32(source_of(i)), pm_distance(p, pm_pixel(u32(source_of(i))))); }
  let dirs = array<vec2<i32>, 4>(vec2<i32>(-1, 0), vec2<i32>(1, 0), vec2<i32>(0, -1), vec2<i32>(0, 1));
  for (var k = 0u; k < 4u; k++) {
    let n = p + u.step * dirs[k];
    if (n.x < 0 || n.y < 0 || n.x >= i32(u.w) || n.y >= i32(u.h)) { continue; }
    let s = source_of(u32(n.y) * u.w + u32(n.x));
    if (s < 0) { continue; }
    best = pm_consider(p, cls, pm_pixel(u32(s)) - u.step * dirs[k], best);
  }
  var r = u.search_radius;
  var k = 0u;
  while (r >= 1) {
    if (best.index != NO_MATCH) {
      let span = u32(2 * r + 1);
      let offset = vec2<i32>(i32(pm_random(i, 2u * k) % span), i32(pm_random(i, 2u * k + 1u) % span)) - r;
      best = pm_consider(p, cls, pm_pixel(best.index) + offset, best);
    }
    r = r / 2;
    k++;
  }
  best = pm_consider(p, cls, pm_pixel(pm_random(i, 2u * k) % u.count), best);
  nnf_out[i] = vec4<f32>(select(-1.0, f32(best.index), best.index != NO_MATCH), f32(best.distance), 0.0, 0.0);
}
