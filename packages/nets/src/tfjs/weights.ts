// The weights half of a TF.js model.json, layers and graph models alike: the manifest and the shards
// it describes, decoded as tfjs-core's io.decodeWeights does.
import { halfToFloat } from '../float16.ts';

export interface WeightEntry {
  name: string;
  shape: number[];
  /** The logical dtype (float32 or int32 are decoded). */
  dtype: string;
  quantization?: {
    dtype: 'uint8' | 'uint16' | 'float16';
    scale?: number;
    min?: number;
    original_dtype?: string;
  };
}

export interface WeightGroup {
  paths: string[];
  weights: WeightEntry[];
}

/** One weight, dequantised: float32 weights as Float32Array, int32 as Int32Array. */
export interface ConstTensor {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** Reads one shard by its path relative to model.json. */
export type ShardReader = (path: string) => Promise<Uint8Array>;

const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1 };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the weightsManifest of a parsed model.json; `file` names it in errors. */
export function parseWeightsManifest(json: unknown, file: string): WeightGroup[] {
  const manifest = isObject(json) ? json.weightsManifest : undefined;
  if (!Array.isArray(manifest)) throw new Error(`${file}: weightsManifest is missing`);
  return manifest.map((g: unknown, gi: number) => {
    if (!isObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights))
      throw new Error(`${file}: weightsManifest[${gi}] needs paths and weights`);
    return {
      paths: g.paths.map(String),
      weights: g.weights.map((w: unknown) => {
        if (!isObject(w) || typeof w.name !== 'string' || !Array.isArray(w.shape))
          throw new Error(`${file}: weightsManifest[${gi}] has an entry without name or shape`);
        const entry: WeightEntry = {
          name: w.name,
          shape: w.shape.map(Number),
          dtype: String(w.dtype ?? 'float32'),
        };
        // Only when present: tfjs-core's decodeWeights reads an entry with a quantization key as quantised.
        if (isObject(w.quantization)) entry.quantization = w.quantization as WeightEntry['quantization'];
        return entry;
      }),
    };
  });
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Bytes one entry takes in its shard (its quantised type when quantised). */
export function storedByteLength(entry: WeightEntry, file: string): number {
  const stored = entry.quantization?.dtype ?? entry.dtype;
  const size = STORED_BYTES[stored];
  if (size === undefined)
    throw new Error(`${file}: weight ${entry.name} is stored as ${stored}, which is not supported`);
  return product(entry.shape) * size;
}

/**
 * Decodes one entry's bytes: plain float32/int32, float16, or uint8/uint16 as q·scale + min (an int32
 * weight rounded to the nearest integer).
 */
export function decodeWeight(entry: WeightEntry, bytes: Uint8Array, file: string): ConstTensor {
  const { name, shape, dtype } = entry;
  if (dtype !== 'float32' && dtype !== 'int32')
    throw new Error(`${file}: weight ${name} has dtype ${dtype}; only float32 and int32 are supported`);
  const n = product(shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
  const q = entry.quantization;
  if (!q) {
    for (let i = 0; i < n; i++)
      data[i] = dtype === 'float32' ? view.getFloat32(4 * i, true) : view.getInt32(4 * i, true);
  } else if (q.dtype === 'float16') {
    if (dtype !== 'float32') throw new Error(`${file}: weight ${name}: float16 storage of ${dtype}`);
    for (let i = 0; i < n; i++) data[i] = halfToFloat(view.getUint16(2 * i, true));
  } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
    if (q.scale === undefined || q.min === undefined)
      throw new Error(`${file}: weight ${name} is ${q.dtype}-quantised without scale and min`);
    for (let i = 0; i < n; i++) {
      const v = q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(2 * i, true);
      data[i] = dtype === 'int32' ? Math.round(v * q.scale + q.min) : v * q.scale + q.min;
    }
  } else {
    throw new Error(`${file}: weight ${name} has unknown quantization dtype ${q.dtype}`);
  }
  return { name, shape, dtype, data };
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
    const bytes = storedByteLength(w, file);
    if (offset + bytes > total) {
      throw new Error(
        `${file}: weight "${w.name}" needs bytes ${offset}..${offset + bytes} but shards ${group.paths.join(', ')} hold only ${total} bytes (missing or short shard)`,
      );
    }
    out.push(decodeWeight(w, all.subarray(offset, offset + bytes), file));
    offset += bytes;
  }
  if (offset !== total) {
    throw new Error(
      `${file}: manifest describes ${offset} bytes but shards ${group.paths.join(', ')} hold ${total}`,
    );
  }
  return out;
}

/** Every weight of the manifest, by name: each group's shards read with `readShard`, then decoded. */
export async function readWeights(
  manifest: WeightGroup[],
  readShard: ShardReader,
  file = 'model.json',
): Promise<Map<string, ConstTensor>> {
  const weights = new Map<string, ConstTensor>();
  for (const group of manifest) {
    const shards = await Promise.all(
      group.paths.map(async (p) => {
        try {
          return await readShard(p);
        } catch (e) {
          throw new Error(`${file}: weight shard ${p} could not be read (${(e as Error).message})`, {
            cause: e,
          });
        }
      }),
    );
    for (const w of decodeWeightGroup(group, shards, file)) weights.set(w.name, w);
  }
  return weights;
}
