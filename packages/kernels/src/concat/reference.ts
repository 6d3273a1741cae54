/** CPU concat along channels of dense NHWC arrays that share N, H and W. */
export function concatReference(inputs: { data: Float32Array; shape: readonly number[] }[]): {
  data: Float32Array;
  shape: number[];
} {
  const [n, h, w] = inputs[0].shape;
  const outC = inputs.reduce((s, t) => s + t.shape[3], 0);
  const pixels = n * h * w;
  const out = new Float32Array(pixels * outC);
  let off = 0;
  for (const t of inputs) {
    const c = t.shape[3];
    for (let p = 0; p < pixels; p++) for (let k = 0; k < c; k++) out[p * outC + off + k] = t.data[p * c + k];
    off += c;
  }
  return { data: out, shape: [n, h, w, outC] };
}
