// patchmatch-common: what the PatchMatch passes share. The shader that includes it declares `u`
// (Params, from patchmatch-params), `levels` (the working image in 8-bit levels), `known`,
// `classes` and `valid`. Distances are sums of squared level differences, exact in integers, so the
// GPU and the CPU reference make the same choice at every comparison.

const NO_MATCH: u32 = 0xffffffffu;
/** Weight of a known pixel of the target patch against a synthesised one: the known border is evidence. */
const KNOWN_WEIGHT: u32 = 4u;

struct Match {
  index: u32,
  distance: u32,
}

/** PCG hash (O'Neill's PCG RXS-M-XS output on one LCG step): a well-mixed u32 from a u32. */
fn pm_hash(v: u32) -> u32 {
  let s = v * 747796405u + 2891336453u;
  let w = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
  return (w >> 22u) ^ w;
}

/** Random draw k of pixel p in this pass: a pure function of (seed, pass, p, k). */
fn pm_random(p: u32, k: u32) -> u32 {
  return pm_hash(u.seed ^ pm_hash(u.pass_index ^ pm_hash(p ^ pm_hash(k))));
}

fn pm_in_layout(i: u32) -> bool {
  return known[i].x > 0.5 || classes[i].x > 0.0;
}

/**
 * Weighted SSD between the patch at target pixel p and the patch at source pixel q (whole, known), over the
 * target patch's pixels in the layout, or only its known ones when known_only is 1 (the first round:
 * the start inside a hole says nothing, the known border does).
 */
fn pm_distance(p: vec2<i32>, q: vec2<i32>) -> u32 {
  var sum = 0u;
  for (var oy = -u.radius; oy <= u.radius; oy++) {
    for (var ox = -u.radius; ox <= u.radius; ox++) {
      let t = p + vec2<i32>(ox, oy);
      if (t.x < 0 || t.y < 0 || t.x >= i32(u.w) || t.y >= i32(u.h)) { continue; }
      let ti = u32(t.y) * u.w + u32(t.x);
      if (!pm_in_layout(ti) || (u.known_only == 1u && known[ti].x <= 0.5)) { continue; }
      let s = q + vec2<i32>(ox, oy);
      let diff = vec4<i32>(levels[ti]) - vec4<i32>(levels[u32(s.y) * u.w + u32(s.x)]);
      sum += select(1u, KNOWN_WEIGHT, known[ti].x > 0.5) * u32(dot(diff, diff));
    }
  }
  return sum;
}

fn pm_pixel(i: u32) -> vec2<i32> {
  return vec2<i32>(i32(i % u.w), i32(i / u.w));
}

/** best, or candidate source q if it offers class `cls`, is whole and is strictly closer. */
fn pm_consider(p: vec2<i32>, cls: f32, q: vec2<i32>, best: Match) -> Match {
  if (q.x < 0 || q.y < 0 || q.x >= i32(u.w) || q.y >= i32(u.h)) { return best; }
  let qi = u32(q.y) * u.w + u32(q.x);
  if (qi == best.index || valid[qi].x != cls) { return best; }
  let d = pm_distance(p, q);
  if (best.index == NO_MATCH || d < best.distance) { return Match(qi, d); }
  return best;
}

fn pm_is_target(i: u32) -> bool {
  return known[i].x <= 0.5 && classes[i].x > 0.0;
}
