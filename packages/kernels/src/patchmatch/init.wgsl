// PatchMatch, random initialisation: each target pixel tries `tries` uniformly drawn source pixels
// and keeps the closest that offers its class (none, index 0xffffffff, when no draw does; the search
// passes then take one from a neighbour). nnf: (source index as f32, distance, 0, 0).

//@include flat-index
//@include patchmatch-params

@group(0) @binding(0) var<storage, read> levels: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> known: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> classes: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> valid: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> nnf_out: array<vec4<f32>>;
@group(0) @binding(5) var<uniform> u: Params;

//@include patchmatch-common

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  var best = Match(NO_MATCH, 0u);
  if (pm_is_target(i)) {
    let p = pm_pixel(i);
    let cls = classes[i].x;
    for (var k = 0u; k < u.tries; k++) {
      best = pm_consider(p, cls, pm_pixel(pm_random(i, k) % u.count), best);
    }
  }
  nnf_out[i] = vec4<f32>(select(-1.0, f32(best.index), best.index != NO_MATCH), f32(best.distance), 0.0, 0.0);
}
