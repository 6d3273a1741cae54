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
