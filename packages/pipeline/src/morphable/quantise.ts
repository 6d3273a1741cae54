/**
 * Block-scaled int8 storage of mode sets: each mode's [V·3] offsets are cut into blocks of `block`
 * vertices, and each block stores int8 values with one float32 scale (its largest magnitude / 127).
 * Per-block scales keep the error small where a mode barely moves (teeth, eyeballs, the back of the
 * head) instead of spending the whole mode's range there; on the ICT Face Model this is a quarter of
 * float32's size at well under a millimetre of error (measured in compact.test.ts).
 */
export interface QuantisedModes {
  /** [count·V·3] int8 values. */
  values: Int8Array;
  /** [count·blocks] float32 scales: value = int8 · scale. */
  scales: Float32Array;
  block: number;
}

export function blockCount(vertexCount: number, block: number): number {
  return Math.ceil(vertexCount / block);
}

export function quantiseModes(
  data: Float32Array,
  count: number,
  vertexCount: number,
  block: number,
): QuantisedModes {
  const blocks = blockCount(vertexCount, block);
  const values = new Int8Array(count * vertexCount * 3);
  const scales = new Float32Array(count * blocks);
  for (let k = 0; k < count; k++) {
    for (let b = 0; b < blocks; b++) {
      const lo = (k * vertexCount + b * block) * 3;
      const hi = (k * vertexCount + Math.min(vertexCount, (b + 1) * block)) * 3;
      let max = 0;
      for (let i = lo; i < hi; i++) max = Math.max(max, Math.abs(data[i]));
      // Rounded to float32 before use, so the stored scale and the one quantised with agree.
      const scale = Math.fround(max > 0 ? max / 127 : 1);
      scales[k * blocks + b] = scale;
      for (let i = lo; i < hi; i++) values[i] = Math.round(data[i] / scale);
    }
  }
  return { values, scales, block };
}

export function dequantiseModes(q: QuantisedModes, count: number, vertexCount: number): Float32Array {
  const blocks = blockCount(vertexCount, q.block);
  const out = new Float32Array(count * vertexCount * 3);
  for (let k = 0; k < count; k++) {
    for (let b = 0; b < blocks; b++) {
      const scale = q.scales[k * blocks + b];
      const lo = (k * vertexCount + b * q.block) * 3;
      const hi = (k * vertexCount + Math.min(vertexCount, (b + 1) * q.block)) * 3;
      for (let i = lo; i < hi; i++) out[i] = q.values[i] * scale;
    }
  }
  return out;
}
