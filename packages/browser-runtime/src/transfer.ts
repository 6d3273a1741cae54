/**
 * Typed arrays cross between Node and the page as blobs over HTTP; everything else as JSON.
 * Used on both sides, so it must stay free of Node and DOM specifics.
 */
const TYPED = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;
type TypedName = keyof typeof TYPED;
export type AnyTypedArray = InstanceType<(typeof TYPED)[TypedName]>;

interface TypedRef {
  __typed: TypedName;
  blob: string;
}

function isTypedRef(v: unknown): v is TypedRef {
  return typeof v === 'object' && v !== null && '__typed' in v && 'blob' in v;
}

function typedName(v: unknown): TypedName | undefined {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return undefined;
  const name = v.constructor.name as TypedName;
  return name in TYPED ? name : undefined;
}

export async function encodeValue(
  value: unknown,
  putBytes: (bytes: Uint8Array) => Promise<string>,
): Promise<unknown> {
  const name = typedName(value);
  if (name) {
    const v = value as AnyTypedArray;
    return { __typed: name, blob: await putBytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
  }
  if (value instanceof ArrayBuffer) return encodeValue(new Uint8Array(value), putBytes);
  if (Array.isArray(value)) return Promise.all(value.map((v) => encodeValue(v, putBytes)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await encodeValue(v, putBytes);
    return out;
  }
  return value;
}

export async function decodeValue(
  value: unknown,
  getBytes: (id: string) => Promise<Uint8Array>,
): Promise<unknown> {
  if (isTypedRef(value)) {
    const bytes = await getBytes(value.blob);
    const Ctor = TYPED[value.__typed];
    // Copy into a fresh, aligned buffer: the transport's buffer may be shared or misaligned.
    const aligned = new Uint8Array(bytes.byteLength);
    aligned.set(bytes);
    return new Ctor(aligned.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => decodeValue(v, getBytes)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await decodeValue(v, getBytes);
    return out;
  }
  return value;
}
