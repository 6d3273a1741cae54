// CPU reference of antialias (antialias-common.wgsl, antialias.wgsl) in float64, for the parity test
// and for the finite differences that check the backward kernels.

interface Pair {
  inside: number;
  outside: number;
  t: number;
}

function screen(pos: ArrayLike<number>, v: number, w: number, h: number): [number, number] {
  const pw = pos[4 * v + 3];
  return [((pos[4 * v] / pw) * 0.5 + 0.5) * w, ((pos[4 * v + 1] / pw) * 0.5 + 0.5) * h];
}

function orient(a: number[], b: number[], p: number[]): number {
  return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
}

function pairOf(
  p: number,
  q: number,
  horizontal: boolean,
  rast: ArrayLike<number>,
  pos: ArrayLike<number>,
  tris: ArrayLike<number>,
  w: number,
  h: number,
): Pair | null {
  const [ip, iq] = [rast[4 * p + 3], rast[4 * q + 3]];
  if (ip === iq) return null;
  const zp = ip !== 0 ? rast[4 * p + 2] : 3;
  const zq = iq !== 0 ? rast[4 * q + 2] : 3;
  const pFront = zp <= zq;
  const inside = pFront ? p : q;
  const outside = pFront ? q : p;
  const t = (pFront ? ip : iq) - 1;
  const other = pFront ? iq : ip;
  const ids = [tris[3 * t], tris[3 * t + 1], tris[3 * t + 2]];
  if (ids.some((v) => !(pos[4 * v + 3] > 0))) return null;
  const s = ids.map((v) => screen(pos, v, w, h));
  const area = orient(s[1], s[2], s[0]);
  if (area === 0) return null;
  const sign = area > 0 ? 1 : -1;
  const centre = (pix: number) => [(pix % w) + 0.5, Math.floor(pix / w) + 0.5];
  const [cin, cout] = [centre(inside), centre(outside)];
  let best: Pair | null = null;
  for (let k = 0; k < 3; k++) {
    const [a, b] = [(k + 1) % 3, (k + 2) % 3];
    const dx = s[b][0] - s[a][0];
    const dy = s[b][1] - s[a][1];
    if (Math.abs(dy) > Math.abs(dx) !== horizontal) continue;
    const eIn = orient(s[a], s[b], cin);
    const eOut = orient(s[a], s[b], cout);
    if (eIn * sign < 0 || eOut * sign >= 0) continue;
    const tc = eIn / (eIn - eOut);
    if (best && tc >= best.t) continue;
    if (other !== 0) {
      const o = other - 1;
      const has = (v: number) => tris[3 * o] === v || tris[3 * o + 1] === v || tris[3 * o + 2] === v;
      if (has(ids[a]) && has(ids[b])) continue;
    }
    best = { inside, outside, t: tc };
  }
  return best;
}

/**
 * color [H·W·C], rast [H·W·4] (rasterizeReference's layout), pos [V·4] clip space, tris [T·3];
 * returns the antialiased image [H·W·C].
 */
export function antialiasReference(
  color: ArrayLike<number>,
  channels: number,
  rast: ArrayLike<number>,
  pos: ArrayLike<number>,
  tris: ArrayLike<number>,
  width: number,
  height: number,
): Float64Array {
  const out = Float64Array.from(color);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const pairs: [number, boolean][] = [];
      if (x + 1 < width) pairs.push([p + 1, true]);
      if (y + 1 < height) pairs.push([p + width, false]);
      for (const [q, horizontal] of pairs) {
        const r = pairOf(p, q, horizontal, rast, pos, tris, width, height);
        if (!r) continue;
        const dst = r.t > 0.5 ? r.outside : r.inside;
        const src = dst === r.inside ? r.outside : r.inside;
        const a = Math.abs(r.t - 0.5);
        for (let c = 0; c < channels; c++) {
          out[dst * channels + c] += a * (color[src * channels + c] - color[dst * channels + c]);
        }
      }
    }
  }
  return out;
}
