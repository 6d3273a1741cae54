// Depth-to-space / pixel shuffle on NHWC (vec4 channel groups): output pixel (h·s + i, w·s + j)
// channel c takes input pixel (h, w) channel
//   DCR (ORDER 0, TF depth_to_space):        (i·s + j)·C + c
//   CRD (ORDER 1, PyTorch pixel_shuffle):    c·s·s + i·s + j
// One invocation writes one output vec4; each lane reads its own scalar (the lanes' source channels
// are not contiguous in CRD order), and lanes past C are written as zero.

//@include flat-index
//@include nhwc

const ORDER: u32 = {{ORDER}}u;

struct Params {
  in_h: u32,
  in_w: u32,
  in_c4: u32,
  out_c: u32,   // C = input channels / s²
  out_c4: u32,
  block: u32,
  count: u32,
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(FLAT_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) grid: vec3<u32>) {
  let idx = flat_index(gid, grid);
  if (idx >= u.count) { return; }
  let s = u.block;
  let out_w = u.in_w * s;
  let out_h = u.in_h * s;
  let o = nhwc_decode(idx, out_h, out_w, u.out_c4);
  let i = o.y % s;
  let j = o.x % s;
  let base = nhwc_index(o.n, o.y / s, o.x / s, 0u, u.in_h, u.in_w, u.in_c4) * 4u;
  var v = vec4<f32>(0.0);
  for (var l = 0u; l < 4u; l++) {
    let c = o.g * 4u + l;
    if (c < u.out_c) {
      let ic = select(c * s * s + i * s + j, (i * s + j) * u.out_c + c, ORDER == 0u);
      v[l] = src[base + ic];
    }
  }
  dst[idx] = v;
}
