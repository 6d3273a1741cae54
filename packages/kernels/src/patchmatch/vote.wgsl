// PatchMatch, patch voting (Wexler et al. 2007 with uniform weights): each target pixel becomes the
// mean, over the patches of matched target pixels that cover it, of the source pixel each of those
// patches puts there; a target no patch covers, and every other pixel, keeps its value. Sources are
// known pixels, which never change: the float result and the next working levels (integer mean,
// rounded half up) both read the original image and its levels. With centre_vote (the last round of
// finalVote 'centre'), a matched target takes its own match's centre pixel instead: no averaging,
// so the exemplar's finest texture survives where the field is coherent.

//@include flat-index
//@include patchmatch-params

@group(0) @binding(0) var<storage, read> image: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> source_levels: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> levels: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> known: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> classes: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> nnf: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> image_out: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read_write> levels_out: array<vec4<f32>>;
@group(0) @binding(8) var<uniform> u: Params;

fn pm_is_target(i: u32) -> bool {
  return known[i].x <= 0.5 && classes[i].x > 0.0;
}

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  image_out[i] = image[i];
  levels_out[i] = levels[i];
  if (!pm_is_target(i)) { return; }
  let own_match = i32(nnf[i].x);
  if (u.centre_vote == 1u && own_match >= 0) {
    image_out[i] = image[u32(own_match)];
    levels_out[i] = source_levels[u32(own_match)];
    return;
  }
  let p = vec2<i32>(i32(i % u.w), i32(i / u.w));
  var sum = vec4<f32>(0.0);
  var level_sum = vec4<u32>(0u);
  var votes = 0u;
  for (var oy = -u.radius; oy <= u.radius; oy++) {
    for (var ox = -u.radius; ox <= u.radius; ox++) {
      let t = p + vec2<i32>(ox, oy);
      if (t.x < 0 || t.y < 0 || t.x >= i32(u.w) || t.y >= i32(u.h)) { continue; }
      let m = i32(nnf[u32(t.y) * u.w + u32(t.x)].x);
      if (m < 0) { continue; }
      let s = vec2<i32>(m % i32(u.w), m / i32(u.w)) - vec2<i32>(ox, oy);
      let si = u32(s.y) * u.w + u32(s.x);
      sum += image[si];
      level_sum += vec4<u32>(source_levels[si]);
      votes++;
    }
  }
  if (votes > 0u) {
    image_out[i] = sum / f32(votes);
    levels_out[i] = vec4<f32>((level_sum + votes / 2u) / votes);
  }
}
