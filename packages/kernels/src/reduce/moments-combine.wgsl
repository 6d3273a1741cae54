// Pass 2 of moments: invocation sg merges all summaries of one (sample, channel group) with Chan et
// al.'s formula (welford.wgsl) and writes the mean and the biased variance (M2 / count). Pad lanes
// have zero mean and zero M2, so they stay zero.
//
// The merges run in place in `partials`, in a tree's order (rounding error grows with the tree's depth,
// not with the count): each chunk's 64 summaries pairwise at strides 32, 16, … 1 (the result in its
// first slot); then slot t of the first chunk folds the results of chunks t, t + 64, …; then those 64
// slots as a tree again. All of it is one loop with one merge in it: on SwiftShader each merge written
// in the shader costs ~40 ms of compile (inlined and unrolled), the loop's index arithmetic nothing.

//@include welford

struct Params {
  chunks: u32,
  groups: u32,
}

@group(0) @binding(0) var<storage, read_write> partials: array<Moments>; // [sg][chunk][64]
@group(0) @binding(1) var<storage, read_write> mean: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> variance: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> u: Params;

/**
 * Merge q (0..62) of the tree over the 64 slots from `at`: (destination, source). Strides 32, 16, … 1
 * take 32, 16, … 1 merges, so merge q has stride s = 2^floor(log2(63 − q)) and writes slot q + 2s − 64.
 */
fn tree_pair(at: u32, q: u32) -> vec2<u32> {
  let s = 1u << firstLeadingBit(WELFORD_WORKGROUP_SIZE - 1u - q);
  let i = q + 2u * s - WELFORD_WORKGROUP_SIZE;
  return vec2<u32>(at + i, at + i + s);
}

@compute @workgroup_size(WELFORD_WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let sg = gid.x;
  if (sg >= u.groups) { return; }
  let per_tree = WELFORD_WORKGROUP_SIZE - 1u;
  let base = sg * u.chunks * WELFORD_WORKGROUP_SIZE;
  let trees = u.chunks * per_tree;
  let folds = trees + max(u.chunks, WELFORD_WORKGROUP_SIZE) - 1u;
  for (var j = 0u; j < folds + per_tree; j++) {
    var pair: vec2<u32>;
    var fresh = false;
    if (j < trees) {
      pair = tree_pair(base + (j / per_tree) * WELFORD_WORKGROUP_SIZE, j % per_tree);
    } else if (j < folds) {
      // Chunk k's result into slot k mod 64 (chunk 0's is slot 0 already). Slots 1..63 still hold
      // the first chunk's tree: the first fold into each starts from nothing, and a slot without a
      // chunk is empty.
      let k = j - trees + 1u;
      let slot = base + k % WELFORD_WORKGROUP_SIZE;
      if (k >= u.chunks) {
        partials[slot] = moments_empty();
        continue;
      }
      pair = vec2<u32>(slot, base + k * WELFORD_WORKGROUP_SIZE);
      fresh = k < WELFORD_WORKGROUP_SIZE;
    } else {
      pair = tree_pair(base, j - folds);
    }
    var a = partials[pair.x];
    if (fresh) { a = moments_empty(); }
    partials[pair.x] = moments_merge(a, partials[pair.y]);
  }
  let total = partials[base];
  mean[sg] = total.mean;
  variance[sg] = total.m2 / total.n;
}
