/**
 * The albedo the seen skin has around each point of the head, for skin no photo shows: a Gaussian
 * average in 3-D (σ = `sigma`, model units) of the de-lit reference texels' albedo, over reference
 * texels pooled per cell of side `sigma` / 2 (their mean, weighted by count). Far from all reference
 * skin the nearest cells dominate, so the scalp takes the colour of the skin nearest it, the neck
 * the jaw's, the back of the head a blend of both sides — regional colour instead of one median.
 * albedo: linear RGB [N·3]; positions: model space [N·3]; reference: 1 on de-lit skin [N];
 * targets: 1 where the regional albedo is wanted [N]. Returns [N·3], 0 off the targets; undefined
 * when there is no reference texel.
 */
export function regionalAlbedo(
  albedo: ArrayLike<number>,
  positions: ArrayLike<number>,
  reference: ArrayLike<number>,
  targets: ArrayLike<number>,
  sigma: number,
): Float32Array | undefined {
  const n = reference.length;
  if (albedo.length !== 3 * n || positions.length !== 3 * n || targets.length !== n || !(sigma > 0))
    throw new RangeError(
      `regionalAlbedo: albedo ${albedo.length} and positions ${positions.length} values, targets ${targets.length} for ${n} texels, sigma ${sigma}`,
    );
  const side = sigma / 2;
  // Integer keys (string keys cost more than the sums): cells within ±512 of the origin per axis.
  const keyOf = (a: number, b: number, c: number) => ((a + 512) * 1024 + (b + 512)) * 1024 + (c + 512);
  const cells = new Map<number, Float64Array>();
  for (let i = 0; i < n; i++) {
    if (!(reference[i] > 0)) continue;
    const key = keyOf(
      Math.floor(positions[3 * i] / side),
      Math.floor(positions[3 * i + 1] / side),
      Math.floor(positions[3 * i + 2] / side),
    );
    let c = cells.get(key);
    if (!c) cells.set(key, (c = new Float64Array(7)));
    for (let k = 0; k < 3; k++) {
      c[k] += positions[3 * i + k];
      c[3 + k] += albedo[3 * i + k];
    }
    c[6]++;
  }
  if (!cells.size) return undefined;
  // Per cell: mean position, mean albedo, log of its count.
  const m = cells.size;
  const pooled = new Float64Array(7 * m);
  let j = 0;
  for (const c of cells.values()) {
    for (let k = 0; k < 6; k++) pooled[7 * j + k] = c[k] / c[6];
    pooled[7 * j + 6] = Math.log(c[6]);
    j++;
  }
  const out = new Float32Array(3 * n);
  const logW = new Float64Array(m);
  const twoSigma2 = 2 * sigma * sigma;
  for (let i = 0; i < n; i++) {
    if (!(targets[i] > 0)) continue;
    const [x, y, z] = [positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]];
    // Log-weights shifted by their maximum: far from every cell the plain weights underflow.
    let top = -Infinity;
    for (let k = 0, o = 0; k < m; k++, o += 7) {
      const d2 = (x - pooled[o]) ** 2 + (y - pooled[o + 1]) ** 2 + (z - pooled[o + 2]) ** 2;
      logW[k] = pooled[o + 6] - d2 / twoSigma2;
      top = Math.max(top, logW[k]);
    }
    let [r, g, b, w] = [0, 0, 0, 0];
    for (let k = 0, o = 0; k < m; k++, o += 7) {
      const wk = Math.exp(logW[k] - top);
      r += wk * pooled[o + 3];
      g += wk * pooled[o + 4];
      b += wk * pooled[o + 5];
      w += wk;
    }
    out[3 * i] = r / w;
    out[3 * i + 1] = g / w;
    out[3 * i + 2] = b / w;
  }
  return out;
}
