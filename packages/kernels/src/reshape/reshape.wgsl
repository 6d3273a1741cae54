// Reshape with a different channel count: output element e (row-major NHWC, channels unpadded) is input
// element e, so each output lane gathers from wherever that element sits in the input's vec4 groups.
// Lanes past out_c are zero. (Same channel count needs no kernel: the padded layouts are identical.)

//@include flat-index

struct Params {
  count: u32,      // output vec4 groups
  in_c: u32,
  in_c4: u32,
  out_c: u32,
  out_c4: u32,
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let i = flat_index(gid, grid);
  if (i >= u.count) { return; }
  let p = i / u.out_c4;
  let g = i % u.out_c4;
  var v = vec4<f32>(0.0);
  for (var j = 0u; j < 4u; j++) {
    let ch = 4u * g + j;
    if (ch < u.out_c) {
      let e = p * u.out_c + ch;
      let s = e % u.in_c;
      v[j] = x[(e / u.in_c) * u.in_c4 + s / 4u][s % 4u];
    }
  }
  y[i] = v;
}
