// nhwc: the layout of every activation tensor. Pixels are row-major NHWC and a pixel's C channels are
// stored as c4 = ceil(C / 4) vec4 groups; the lanes of the last group past C (pad lanes) are zero.

/** Sample n, row y, column x and channel group g of one vec4 of a tensor. */
struct NhwcIndex {
  n: u32,
  y: u32,
  x: u32,
  g: u32,
}

/** Where flat vec4 index i lies in a tensor of h × w pixels with c4 channel groups. */
fn nhwc_decode(i: u32, h: u32, w: u32, c4: u32) -> NhwcIndex {
  let p = i / c4;
  return NhwcIndex(p / (w * h), (p / w) % h, p % w, i % c4);
}

/** The flat vec4 index of channel group g of pixel (n, y, x) in a tensor of h × w pixels, c4 groups. */
fn nhwc_index(n: u32, y: u32, x: u32, g: u32, h: u32, w: u32, c4: u32) -> u32 {
  return ((n * h + y) * w + x) * c4 + g;
}

/** The lanes of channel group g that hold one of the c channels; the others are pad lanes. */
fn channel_lanes(g: u32, c: u32) -> vec4<bool> {
  return vec4<u32>(0u, 1u, 2u, 3u) + 4u * g < vec4<u32>(c);
}
