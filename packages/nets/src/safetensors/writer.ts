import { floatToBfloat16, floatToHalf } from '../float16.ts';
import { DTYPE_SIZES, type Dtype } from './dtypes.ts';

export interface TensorToWrite {
  dtype: Dtype;
  shape: readonly number[];
  /** Float values for F32/F16/BF16 (encoded on write); otherwise the raw little-endian bytes. */
  data: Float32Array | Uint8Array;
}

/**
 * Serialises tensors the way the reference writer does: tensors ordered by descending dtype size, then
 * name; header padded with spaces so the data buffer starts 8-byte aligned.
 */
export function writeSafetensors(
  tensors: Record<string, TensorToWrite>,
  metadata?: Record<string, string>,
): Uint8Array {
  const names = Object.keys(tensors).sort(
    (a, b) => DTYPE_SIZES[tensors[b].dtype] - DTYPE_SIZES[tensors[a].dtype] || (a < b ? -1 : a > b ? 1 : 0),
  );
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  const encoded: Uint8Array[] = [];
  for (const name of names) {
    const t = tensors[name];
    const bytes = encode(name, t);
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    offset += bytes.byteLength;
    encoded.push(bytes);
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let pos = 8 + json.byteLength;
  for (const b of encoded) {
    out.set(b, pos);
    pos += b.byteLength;
  }
  return out;
}

function encode(name: string, t: TensorToWrite): Uint8Array {
  const count = t.shape.reduce((a, b) => a * b, 1);
  const size = DTYPE_SIZES[t.dtype];
  if (t.data instanceof Uint8Array) {
    if (t.data.byteLength !== count * size)
      throw new Error(
        `writeSafetensors: tensor "${name}" has ${t.data.byteLength} bytes for shape [${t.shape.join(', ')}] of ${t.dtype}`,
      );
    return t.data;
  }
  if (t.data.length !== count)
    throw new Error(
      `writeSafetensors: tensor "${name}" has ${t.data.length} values for shape [${t.shape.join(', ')}]`,
    );
  if (t.dtype === 'F32') return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (t.dtype !== 'F16' && t.dtype !== 'BF16')
    throw new Error(
      `writeSafetensors: tensor "${name}": float values given for dtype ${t.dtype}; pass raw bytes`,
    );
  const out = new Uint8Array(count * 2);
  const view = new DataView(out.buffer);
  const conv = t.dtype === 'F16' ? floatToHalf : floatToBfloat16;
  for (let i = 0; i < count; i++) view.setUint16(i * 2, conv(t.data[i]), true);
  return out;
}
