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
  const cells = new Map<string, Float64Array>();
  for (let i = 0; i < n; i++) {
    if (!(reference[i] > 0)) continue;
    const key = [0, 1, 2].map((k) => Math.floor(positions[3 * i + k] / side)).join(',');
    let c = cells.get(key);
    if (!c) cells.set(key, (c = new Float64Array(7)));
    for (let k = 0; k < 3; k++) {
      c[k] += positions[3 * i + k];
      c[3 + k] += albedo[3 * i + k];
    }
    c[6]++;
  }
  if (!cells.size) return undefined;
  const pooled = [...cells.values()].map((c) => [0, 1, 2, 3, 4, 5].map((k) => c[k] / c[6]).concat(c[6]));
  const out = new Float32Array(3 * n);
  const logW = new Float64Array(pooled.length);
  for (let i = 0; i < n; i++) {
    if (!(targets[i] > 0)) continue;
    // Log-weights shifted by their maximum: far from every cell the plain weights underflow.
    let top = -Infinity;
    pooled.forEach((c, k) => {
      const d2 =
        (positions[3 * i] - c[0]) ** 2 +
        (positions[3 * i + 1] - c[1]) ** 2 +
        (positions[3 * i + 2] - c[2]) ** 2;
      logW[k] = Math.log(c[6]) - d2 / (2 * sigma * sigma);
      top = Math.max(top, logW[k]);
    });
    let [r, g, b, w] = [0, 0, 0, 0];
    pooled.forEach((c, k) => {
      const wk = Math.exp(logW[k] - top);
      [r, g, b, w] = [r + wk * c[3], g + wk * c[4], b + wk * c[5], w + wk];
    });
    out[3 * i] = r / w;
    out[3 * i + 1] = g / w;
    out[3 * i + 2] = b / w;
  }
  return out;
}
