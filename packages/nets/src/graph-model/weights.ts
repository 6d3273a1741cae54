import type { WeightEntry, WeightGroup } from './model-json.ts';

/** One constant of the graph, dequantised: float32 weights as Float32Array, int32 as Int32Array. */
export interface ConstTensor {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1 };

/** IEEE half → float, exact for every half value (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function decodeEntry(w: WeightEntry, bytes: Uint8Array, file: string): ConstTensor {
  const n = product(w.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = w.quantization;
  if (w.dtype !== 'float32' && w.dtype !== 'int32') {
    throw new Error(`${file}: weight "${w.name}" has dtype ${w.dtype}; only float32 and int32 are supported`);
  }
  if (!q) {
    const data = w.dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
    for (let i = 0; i < n; i++)
      data[i] = w.dtype === 'float32' ? view.getFloat32(i * 4, true) : view.getInt32(i * 4, true);
    return { name: w.name, shape: w.shape, dtype: w.dtype, data };
  }
  if (q.dtype === 'float16') {
    if (w.dtype !== 'float32') throw new Error(`${file}: weight "${w.name}": float16 storage of ${w.dtype}`);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = halfToFloat(view.getUint16(i * 2, true));
    return { name: w.name, shape: w.shape, dtype: 'float32', data };
  }
  if (q.dtype === 'uint8' || q.dtype === 'uint16') {
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    const data = w.dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(i * 2, true);
      data[i] = w.dtype === 'int32' ? Math.round(v * scale + min) : v * scale + min;
    }
    return { name: w.name, shape: w.shape, dtype: w.dtype, data };
  }
  throw new Error(`${file}: weight "${w.name}" has unknown quantization dtype ${q.dtype}`);
}

/**
 * Splits one group's shards (concatenated in `paths` order) into its weights: entries are stored back
 * to back in manifest order, each prod(shape) elements of the stored (quantised) type.
 */
export function decodeWeightGroup(group: WeightGroup, shards: Uint8Array[], file: string): ConstTensor[] {
  const total = shards.reduce((s, b) => s + b.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const s of shards) {
    all.set(s, at);
    at += s.byteLength;
  }
  const out: ConstTensor[] = [];
  let offset = 0;
  for (const w of group.weights) {
    const stored = w.quantization?.dtype ?? w.dtype;
    const size = STORED_BYTES[stored];
    if (!size) throw new Error(`${file}: weight "${w.name}" is stored as ${stored}, which is not supported`);
    const bytes = product(w.shape) * size;
    if (offset + bytes > total) {
      throw new Error(
        `${file}: weight "${w.name}" needs bytes ${offset}..${offset + bytes} but shards ${group.paths.join(', ')} hold ${total}`,
      );
    }
    out.push(decodeEntry(w, all.subarray(offset, offset + bytes), file));
    offset += bytes;
  }
  if (offset !== total) {
    throw new Error(
      `${file}: manifest describes ${offset} bytes but shards ${group.paths.join(', ')} hold ${total}`,
    );
  }
  return out;
}
