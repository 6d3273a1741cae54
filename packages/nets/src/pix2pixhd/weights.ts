/** PyTorch Conv2d weights [cout, cin, kh, kw] (OIHW) to the kernels' HWIO [kh, kw, cin, cout]. */
export function torchConvWeightsToHWIO(
  oihw: Float32Array,
  [cout, cin, kh, kw]: readonly number[],
): Float32Array {
  const out = new Float32Array(oihw.length);
  for (let o = 0; o < cout; o++)
    for (let i = 0; i < cin; i++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          out[((y * kw + x) * cin + i) * cout + o] = oihw[((o * cin + i) * kh + y) * kw + x];
  return out;
}

/** [..., a, b] → [..., b, a]: moves a transposed-conv filter [kh, kw, cout, cin] to [kh, kw, cin, cout] and back. */
export function swapLastTwoAxes(data: Float32Array, shape: readonly number[]): Float32Array {
  const a = shape[shape.length - 2];
  const b = shape[shape.length - 1];
  const out = new Float32Array(data.length);
  for (let base = 0; base < data.length; base += a * b)
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out[base + j * a + i] = data[base + i * b + j];
  return out;
}
