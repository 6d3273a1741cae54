// Depth-to-space / pixel shuffle on NHWC (vec4 channel groups): output pixel (h·s + i, w·s + j)
// channel c takes input pixel (h, w) channel
//   DCR (ORDER 0, TF depth_to_space):        (i·s + j)·C + c
//   CRD (ORDER 1, PyTorch pixel_shuffle):    c·s·s + i·s + j
// One invocation writes one output vec4; each lane reads its own scalar (the lanes' source channels
// are not contiguous in CRD order), and lanes past C are written as zero.

const ORDER: u32 = {{ORDER}}u;

struct Params {
  in_h: u32,
  in_w: u32,
  in_c4: u32,
  out_c: u32,   // C = input channels / s²
  out_c4: u32,
  block: u32,
  count: u32,
  row_stride: u32,
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let idx = gid.x + gid.y * u.row_stride;
  if (idx >= u.count) { return; }
  let s = u.block;
  let out_w = u.in_w * s;
  let out_h = u.in_h * s;
  let cg = idx % u.out_c4;
  let ox = (idx / u.out_c4) % out_w;
  let oy = (idx / (u.out_c4 * out_w)) % out_h;
  let n = idx / (u.out_c4 * out_w * out_h);
  let i = oy % s;
  let j = ox % s;
  let base = ((n * u.in_h + oy / s) * u.in_w + ox / s) * u.in_c4 * 4u;
  var v = vec4<f32>(0.0);
  for (var l = 0u; l < 4u; l++) {
    let c = cg * 4u + l;
    if (c < u.out_c) {
      let ic = select(c * s * s + i * s + j, (i * s + j) * u.out_c + c, ORDER == 0u);
      v[l] = src[base + ic];
    }
  }
  dst[idx] = v;
}
