// pyramid: the addressing between two levels of an image pyramid, shared by push-pull inpainting
// (image/inpaint) and the Poisson blend's multigrid (poisson). The coarse level is the fine one halved,
// rounded up: coarse pixel (y, x) covers the fine pixels (2y + dy, 2x + dx), dy, dx ∈ {0, 1}, that lie
// inside the fine level. A level's per-pixel scalar (weight, label) is stored one vec4 per pixel.
// Params is filled by pyramidParams (pyramid.ts); binary_mask is push-pull's alone. Included after nhwc.

struct Params {
  fine_h: u32,
  fine_w: u32,
  coarse_h: u32,
  coarse_w: u32,
  c4: u32,
  count: u32,        // vec4 groups the kernel writes
  binary_mask: u32,
}

// The scalar slot of pixel (n, y, x) of the fine or the coarse level.
fn fine_pixel(n: u32, y: u32, x: u32) -> u32 {
  return nhwc_index(n, y, x, 0u, u.fine_h, u.fine_w, 1u);
}

fn coarse_pixel(n: u32, y: u32, x: u32) -> u32 {
  return nhwc_index(n, y, x, 0u, u.coarse_h, u.coarse_w, 1u);
}

// The vec4 index of channel group g of coarse pixel (n, y, x).
fn coarse_index(n: u32, y: u32, x: u32, g: u32) -> u32 {
  return nhwc_index(n, y, x, g, u.coarse_h, u.coarse_w, u.c4);
}

// Child k ∈ 0..3 of coarse pixel (n, y, x), row by row: its fine pixel's scalar slot, when inside.
struct PyramidChild {
  inside: bool,
  pixel: u32,
}

fn pyramid_child(n: u32, y: u32, x: u32, k: u32) -> PyramidChild {
  let sy = 2u * y + k / 2u;
  let sx = 2u * x + k % 2u;
  if (sy >= u.fine_h || sx >= u.fine_w) { return PyramidChild(false, 0u); }
  return PyramidChild(true, fine_pixel(n, sy, sx));
}
