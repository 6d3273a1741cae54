// Pass 1 of per-(sample, channel) mean and variance over H×W. Workgroup (chunk, sample·c4 + group)
// covers one chunk of pixels of one channel group: invocation t runs Welford's update over the
// chunk's pixels t, t + 64, … and writes its summary (count, mean, M2) to its own slot; the merges
// happen in pass 2 (moments-combine.wgsl). Per-chunk summaries keep each running sum short.

//@include welford

struct Params {
  hw: u32,
  c4: u32,
  per_chunk: u32, // pixels per chunk
  chunks: u32,
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> partials: array<Moments>; // [sg][chunk][64]
@group(0) @binding(2) var<uniform> u: Params;

@compute @workgroup_size(WELFORD_WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let sg = wid.y;
  let base = (sg / u.c4) * u.hw * u.c4 + sg % u.c4;
  let start = wid.x * u.per_chunk;
  let end = min(start + u.per_chunk, u.hw);
  var m = moments_empty();
  for (var p = start + t; p < end; p += WELFORD_WORKGROUP_SIZE) {
    m = moments_add(m, x[base + p * u.c4]);
  }
  partials[(sg * u.chunks + wid.x) * WELFORD_WORKGROUP_SIZE + t] = m;
}
