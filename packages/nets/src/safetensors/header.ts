import { DTYPE_SIZES, isDtype, type Dtype } from './dtypes.ts';

/** A malformed or unusable safetensors file; the message is one line naming the file (and tensor). */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

export interface TensorEntry {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Byte range relative to the start of the data buffer, end exclusive. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** Tensors in header order. */
  entries: TensorEntry[];
  metadata: Record<string, string>;
  /** File offset of the data buffer: 8 + header length. */
  dataStart: number;
}

/** The safetensors reference reader's bound on the header length. */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * Reads and validates the header of a safetensors file of `fileSize` bytes whose first bytes are
 * `head` (at least 8 + header length of them). Checks what the reference reader checks: header length,
 * JSON, dtypes, byte size per shape, offsets inside the file, ranges contiguous from 0 without gaps or
 * overlaps, nothing after the last tensor, no duplicate names.
 */
export function parseHeader(head: Uint8Array, fileSize: number, file: string): SafetensorsHeader {
  const fail = (msg: string): never => {
    throw new SafetensorsError(`${file}: ${msg}`);
  };
  if (fileSize < 8 || head.byteLength < 8) fail(`${fileSize} bytes is too short for a safetensors file`);
  const n = Number(new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_HEADER_BYTES) fail(`header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  if (8 + n > fileSize) fail(`header length ${n} runs past the end of the file (${fileSize} bytes)`);
  if (head.byteLength < 8 + n) fail(`only ${head.byteLength} of the ${8 + n} header bytes were given`);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(8, 8 + n));
  } catch {
    return fail('header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('header JSON is not an object');
  const dup = firstDuplicateKey(text);
  if (dup !== undefined) fail(`tensor "${dup}" appears twice in the header`);

  const dataStart = 8 + n;
  const dataSize = fileSize - dataStart;
  const metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__ "${k}" is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    entries.push(parseEntry(name, value, dataSize, (msg) => fail(`tensor "${name}": ${msg}`)));
  }

  // Ranges must tile [0, dataSize) exactly: sorted by begin, each starts where the previous ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: TensorEntry | undefined;
  for (const e of sorted) {
    if (e.begin < pos)
      fail(
        `tensor "${e.name}": bytes [${e.begin}, ${e.end}) overlap tensor "${prev!.name}" [${prev!.begin}, ${prev!.end})`,
      );
    if (e.begin > pos)
      fail(
        `tensor "${e.name}": bytes [${e.begin}, ${e.end}) leave a gap after byte ${pos}${prev ? ` (end of tensor "${prev.name}")` : ''}`,
      );
    pos = e.end;
    prev = e;
  }
  if (pos !== dataSize)
    fail(`tensor data ends at byte ${pos} of the data buffer but the file holds ${dataSize} data bytes`);
  return { entries, metadata, dataStart };
}

function parseEntry(
  name: string,
  value: unknown,
  dataSize: number,
  fail: (msg: string) => never,
): TensorEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('entry is not an object {dtype, shape, data_offsets}');
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isDtype(dtype))
    fail(`unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPE_SIZES).join(', ')})`);
  const isIndex = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(shape) || !shape.every(isIndex))
    fail(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex))
    fail(`data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataSize) fail(`data_offsets [${begin}, ${end}] lie outside the data buffer (${dataSize} bytes)`);
  const dims = shape as number[];
  const expected = dims.reduce((a, b) => a * b, 1) * DTYPE_SIZES[dtype as Dtype];
  if (end - begin !== expected)
    fail(`${end - begin} bytes do not match shape [${dims.join(', ')}] of ${dtype} (${expected} bytes)`);
  return { name, dtype: dtype as Dtype, shape: dims, begin, end };
}

/** The first top-level key that occurs twice (JSON.parse silently keeps the last one). */
export function firstDuplicateKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectKey = false;
      }
      i = j;
    } else if (ch === '{' || ch === '[') {
      depth++;
      expectKey = depth === 1;
    } else if (ch === '}' || ch === ']') {
      depth--;
    } else if (ch === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return undefined;
}
