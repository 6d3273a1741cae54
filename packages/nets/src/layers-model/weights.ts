import { LayersModelError, type WeightEntry, type WeightGroup } from './model-json.ts';

export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Reads one shard by its path relative to model.json. */
export type ShardReader = (path: string) => Promise<Uint8Array>;

const STORED_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  float16: 2,
  uint16: 2,
  uint8: 1,
  bool: 1,
};

/** IEEE half → float. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Decodes one entry's bytes to float32: plain float32/int32, float16, or uint8/uint16 q·scale + min. */
export function decodeWeight(entry: WeightEntry, bytes: Uint8Array, file: string): Float32Array {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const stored = entry.quantization?.dtype ?? entry.dtype;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  if (entry.quantization) {
    const q = entry.quantization;
    if (q.dtype === 'float16') {
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    }
    if (q.scale === undefined || q.min === undefined)
      throw new LayersModelError(
        `${file}: weight ${entry.name} is ${q.dtype}-quantised without scale and min`,
      );
    const read =
      q.dtype === 'uint8' ? (i: number) => view.getUint8(i) : (i: number) => view.getUint16(2 * i, true);
    for (let i = 0; i < count; i++) out[i] = read(i) * q.scale + q.min;
    return out;
  }
  switch (stored) {
    case 'float32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    case 'float16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    case 'int32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
      return out;
    default:
      throw new LayersModelError(`${file}: weight ${entry.name} has unsupported dtype ${stored}`);
  }
}

export function storedByteLength(entry: WeightEntry, file: string): number {
  const dtype = entry.quantization?.dtype ?? entry.dtype;
  const size = STORED_BYTES[dtype];
  if (size === undefined)
    throw new LayersModelError(`${file}: weight ${entry.name} has unsupported dtype ${dtype}`);
  return entry.shape.reduce((a, b) => a * b, 1) * size;
}

/**
 * Every weight of the manifest, by name. A group's shards are concatenated in `paths` order and its
 * entries read one after another, as the TF.js converter wrote them.
 */
export async function readWeights(
  manifest: WeightGroup[],
  readShard: ShardReader,
  file = 'model.json',
): Promise<Map<string, NamedWeight>> {
  const weights = new Map<string, NamedWeight>();
  for (const group of manifest) {
    const shards = await Promise.all(
      group.paths.map(async (p) => {
        try {
          return await readShard(p);
        } catch (e) {
          throw new LayersModelError(
            `${file}: weight shard ${p} could not be read (${(e as Error).message})`,
          );
        }
      }),
    );
    const total = shards.reduce((a, s) => a + s.byteLength, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const s of shards) {
      bytes.set(s, at);
      at += s.byteLength;
    }
    let offset = 0;
    for (const entry of group.weights) {
      const n = storedByteLength(entry, file);
      if (offset + n > total) {
        throw new LayersModelError(
          `${file}: weight ${entry.name} needs bytes ${offset}..${offset + n} but shards ${group.paths.join(', ')} hold only ${total} bytes (missing or short shard)`,
        );
      }
      weights.set(entry.name, {
        name: entry.name,
        shape: entry.shape,
        data: decodeWeight(entry, bytes.subarray(offset, offset + n), file),
      });
      offset += n;
    }
  }
  return weights;
}
