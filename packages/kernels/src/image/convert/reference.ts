/** CPU reference for rgba8ToTensor (f32 arithmetic, as on the GPU): dense [H, W, channels]. */
export function rgba8ToTensorReference(
  rgba: Uint8Array | Uint8ClampedArray,
  channels: 3 | 4,
  scale: readonly number[],
  bias: readonly number[],
): Float32Array {
  const pixels = rgba.length / 4;
  const out = new Float32Array(pixels * channels);
  const f = Math.fround;
  for (let p = 0; p < pixels; p++)
    for (let k = 0; k < channels; k++)
      out[p * channels + k] = f(f(rgba[p * 4 + k] * f(scale[k])) + f(bias[k]));
  return out;
}

/** CPU reference for tensorToRgba8 on a dense [.., channels] array: RGBA8 bytes. */
export function tensorToRgba8Reference(
  x: Float32Array,
  channels: 1 | 3 | 4,
  scale: number,
  bias: number,
): Uint8ClampedArray {
  const pixels = x.length / channels;
  const out = new Uint8ClampedArray(pixels * 4);
  const f = Math.fround;
  const q = (v: number) => Math.floor(Math.min(Math.max(f(f(v * f(scale)) + f(bias)), 0), 255) + 0.5);
  for (let p = 0; p < pixels; p++) {
    for (let k = 0; k < 3; k++) out[p * 4 + k] = q(x[p * channels + (channels === 1 ? 0 : k)]);
    out[p * 4 + 3] = channels === 4 ? q(x[p * channels + 3]) : 255;
  }
  return out;
}
