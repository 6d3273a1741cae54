import { halfToFloat } from '../float16.ts';

/** safetensors dtype names and their element sizes in bytes (safetensors/src/tensor.rs). */
export const DTYPE_SIZES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
} as const;

export type Dtype = keyof typeof DTYPE_SIZES;

/** The dtypes the reader converts to float32. */
export type FloatDtype = 'F32' | 'F16' | 'BF16';

export function isDtype(s: unknown): s is Dtype {
  return typeof s === 'string' && Object.hasOwn(DTYPE_SIZES, s);
}

export function isFloatDtype(d: Dtype): d is FloatDtype {
  return d === 'F32' || d === 'F16' || d === 'BF16';
}

/**
 * Converts `count` little-endian elements of a float dtype starting at `bytes[0]` to float32. F32 whose
 * start is 4-byte aligned in its ArrayBuffer is returned as a view (no copy); otherwise a new array.
 */
export function toFloat32(bytes: Uint8Array, dtype: FloatDtype, count: number): Float32Array {
  if (dtype === 'F32') {
    if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count);
    return new Float32Array(bytes.slice(0, count * 4).buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  if (dtype === 'F16') {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
  }
  return out;
}
