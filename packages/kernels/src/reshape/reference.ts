/** CPU slice of a dense NHWC array. (Reshape of a dense array is the identity on its data.) */
export function sliceReference(
  x: Float32Array,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): Float32Array {
  const [, h, w, c] = shape;
  const [sn, sh, sw, sc] = size;
  const out = new Float32Array(sn * sh * sw * sc);
  let o = 0;
  for (let n = 0; n < sn; n++)
    for (let y = 0; y < sh; y++)
      for (let xx = 0; xx < sw; xx++)
        for (let k = 0; k < sc; k++)
          out[o++] = x[(((n + begin[0]) * h + y + begin[1]) * w + xx + begin[2]) * c + k + begin[3]];
  return out;
}
