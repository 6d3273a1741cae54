// Copies one input's channels into the output at a channel offset (concat runs this once per input, in
// order). An invocation owns one output vec4 group that this input touches; its lanes below the offset
// keep what the previous input wrote, lanes past this input's channels are zeroed (the next input, if
// any, fills them; otherwise they are the pad lanes). Each group has one writer per dispatch, and
// dispatches run in order, so inputs whose channel counts are not multiples of 4 repack without races.

//@include flat-index

struct Params {
  count: u32,      // pixels · groups
  groups: u32,     // output groups this input touches
  g0: u32,         // first of them
  off: u32,        // channel offset of this input in the output
  in_c: u32,
  in_c4: u32,
  out_c4: u32,
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let p = i / u.groups;
  let g = u.g0 + i % u.groups;
  let o = p * u.out_c4 + g;
  var v = vec4<f32>(0.0);
  if (4u * g < u.off) { v = y[o]; }
  for (var j = 0u; j < 4u; j++) {
    let ch = 4u * g + j;
    if (ch >= u.off && ch < u.off + u.in_c) {
      let s = ch - u.off;
      v[j] = x[p * u.in_c4 + s / 4u][s % 4u];
    } else if (ch >= u.off) {
      v[j] = 0.0;
    }
  }
  y[o] = v;
}
