import { MorphableModelError } from './errors.ts';
import type { MorphableModel, ModeSet, VertexRegion } from './model.ts';
import { parseObj } from './obj.ts';
import { blockCount, dequantiseModes } from './quantise.ts';

/**
 * The on-disk model folder (what `avatarme import-face-model` writes, and the compact ICT copy in
 * shared/data): `model.json` (this manifest), the neutral OBJ, one file per mode set shaped
 * [modes, vertices, 3] — float32 little-endian, or block-scaled int8 with a scales file (the compact
 * head shipped in models/) — and ICT's `vertex_indices.json` (landmark vertices and friends).
 */
export interface ModelManifest {
  source: string;
  /** The neutral OBJ's file name, optionally followed by a description ("x.obj (original file: …)"). */
  neutral: string;
  identity_modes: ModeFileEntry;
  expression_modes: ModeFileEntry;
  /** The indices file name, optionally followed by ": description". */
  vertex_indices: string;
  geometry_ranges?: Record<string, [number, number]>;
  units?: string;
  [extra: string]: unknown;
}

export interface ModeFileEntry {
  file: string;
  /** "float32 little-endian", or "int8" with `scales` (block-scaled, see quantise.ts). */
  dtype: string;
  /** For int8 modes: float32 scales [modes, ceil(vertices / block)]. */
  scales?: { file: string; block: number };
  shape: [number, number, number];
  names?: string[];
  meaning?: string;
}

/** The subset of ICT's vertex_indices.json the model uses. */
export interface VertexIndicesFile {
  expressions?: string[];
  idx_to_landmark_verts: number[];
  idx_to_rigid_landmark_idx?: number[];
  [extra: string]: unknown;
}

/** The file name a manifest entry refers to: its first token, without a trailing colon. */
export function manifestFileName(entry: string): string {
  return entry.trim().split(/\s+/)[0].replace(/:$/, '');
}

function fail(message: string): never {
  throw new MorphableModelError(message);
}

export function parseManifest(text: string, file = 'model.json'): ModelManifest {
  let m: ModelManifest;
  try {
    m = JSON.parse(text) as ModelManifest;
  } catch (e) {
    fail(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof m !== 'object' || m === null) fail(`${file}: expected a JSON object`);
  if (typeof m.neutral !== 'string') fail(`${file}: missing "neutral" (the neutral mesh OBJ)`);
  if (typeof m.vertex_indices !== 'string') fail(`${file}: missing "vertex_indices" (the landmark file)`);
  for (const key of ['identity_modes', 'expression_modes'] as const) {
    const e = m[key];
    if (!e || typeof e !== 'object') fail(`${file}: missing "${key}"`);
    if (typeof e.file !== 'string') fail(`${file}: "${key}" has no "file"`);
    if (e.dtype === 'int8') {
      const sc = e.scales;
      if (!sc || typeof sc.file !== 'string' || !Number.isInteger(sc.block) || sc.block <= 0)
        fail(`${file}: "${key}" is int8 but has no "scales" {file, block > 0}`);
    } else if (e.dtype !== undefined && !/^float32/.test(e.dtype))
      fail(`${file}: "${key}" dtype "${e.dtype}" is neither float32 little-endian nor int8`);
    const s = e.shape;
    if (!Array.isArray(s) || s.length !== 3 || s[2] !== 3 || !s.every((d) => Number.isInteger(d) && d > 0))
      fail(`${file}: "${key}" shape ${JSON.stringify(s)} must be [modes > 0, vertices, 3]`);
    if (e.names !== undefined && e.names.length !== s[0])
      fail(`${file}: "${key}" lists ${e.names.length} names for ${s[0]} modes`);
  }
  return m;
}

/** Checks a mode file's size against its manifest shape and returns float32 offsets (dequantised if int8). */
function modeData(
  entry: ModeFileEntry,
  bytes: ArrayBuffer,
  scaleBytes: ArrayBuffer | undefined,
  vertexCount: number,
  what: string,
): Float32Array {
  const [k, v] = entry.shape;
  if (v !== vertexCount) {
    fail(`${entry.file}: ${what} modes are for ${v} vertices, the neutral mesh has ${vertexCount}`);
  }
  const int8 = entry.dtype === 'int8';
  checkSize(entry.file, bytes, k * v * 3, int8 ? 1 : 4, int8 ? 'int8' : 'float32', `${k}×${v}×3`);
  let data: Float32Array;
  if (int8) {
    const sc = entry.scales!;
    if (!scaleBytes) fail(`${sc.file}: missing file (the scales of ${entry.file})`);
    const blocks = blockCount(v, sc.block);
    checkSize(sc.file, scaleBytes, k * blocks, 4, 'float32', `${k}×${blocks}`);
    const scales = new Float32Array(scaleBytes);
    data = dequantiseModes({ values: new Int8Array(bytes), scales, block: sc.block }, k, v);
  } else {
    // Files are little-endian; every platform WebGPU runs on is too.
    data = new Float32Array(bytes);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) fail(`${entry.file}: value ${i} is ${data[i]}, not a finite number`);
  }
  return data;
}

function checkSize(
  file: string,
  bytes: ArrayBuffer,
  elements: number,
  bytesPer: number,
  dtype: string,
  shape: string,
): void {
  const expected = elements * bytesPer;
  if (bytes.byteLength !== expected) {
    fail(
      `${file}: ${bytes.byteLength} bytes, expected ${shape} ${dtype} = ${expected} bytes (${bytes.byteLength < expected ? 'short file' : 'trailing data'})`,
    );
  }
}

function modeSet(
  entry: ModeFileEntry,
  bytes: ArrayBuffer,
  scaleBytes: ArrayBuffer | undefined,
  vertexCount: number,
  what: string,
): ModeSet {
  const data = modeData(entry, bytes, scaleBytes, vertexCount, what);
  const count = entry.shape[0];
  const names =
    entry.names ?? Array.from({ length: count }, (_, i) => `${what}${String(i).padStart(3, '0')}`);
  return { count, names, data };
}

function regions(m: ModelManifest, vertexCount: number, file: string): VertexRegion[] {
  const out: VertexRegion[] = [];
  for (const [name, range] of Object.entries(m.geometry_ranges ?? {})) {
    const [first, last] = range;
    if (!(
      Number.isInteger(first) &&
      Number.isInteger(last) &&
      first >= 0 &&
      first <= last &&
      last < vertexCount
    ))
      fail(`${file}: geometry range "${name}" [${first}, ${last}] is not inside 0..${vertexCount - 1}`);
    out.push({ name, first, last });
  }
  return out;
}

export interface ModelFiles {
  manifest: string;
  neutralObj: string;
  identity: ArrayBuffer;
  expression: ArrayBuffer;
  /** The scales of int8 mode files (absent for float32 ones). */
  identityScales?: ArrayBuffer;
  expressionScales?: ArrayBuffer;
  vertexIndices: string;
}

/** Builds the model from the folder's files, checking that they agree with each other. */
export function assembleModel(files: ModelFiles, manifestName = 'model.json'): MorphableModel {
  const m = parseManifest(files.manifest, manifestName);
  const objName = manifestFileName(m.neutral);
  const obj = parseObj(files.neutralObj, objName);
  const vertexCount = obj.positions.length / 3;
  if (vertexCount === 0) fail(`${objName}: no vertices`);
  if (obj.triangles.length === 0) fail(`${objName}: no faces`);
  if (obj.uvTriangles.length !== obj.triangles.length) fail(`${objName}: faces have no texture coordinates`);
  const identity = modeSet(m.identity_modes, files.identity, files.identityScales, vertexCount, 'identity');
  const expression = modeSet(
    m.expression_modes,
    files.expression,
    files.expressionScales,
    vertexCount,
    'expression',
  );

  const idxName = manifestFileName(m.vertex_indices);
  let idx: VertexIndicesFile;
  try {
    idx = JSON.parse(files.vertexIndices) as VertexIndicesFile;
  } catch (e) {
    fail(`${idxName}: not valid JSON (${(e as Error).message})`);
  }
  const lm = idx.idx_to_landmark_verts;
  if (!Array.isArray(lm) || lm.length !== 68) {
    fail(
      `${idxName}: "idx_to_landmark_verts" must list 68 vertex ids (got ${Array.isArray(lm) ? lm.length : 'none'})`,
    );
  }
  const badLm = lm.find((v) => !Number.isInteger(v) || v < 0 || v >= vertexCount);
  if (badLm !== undefined) fail(`${idxName}: landmark vertex ${badLm} is outside 0..${vertexCount - 1}`);
  const rigid = idx.idx_to_rigid_landmark_idx ?? [];
  if (rigid.some((r) => !Number.isInteger(r) || r < 0 || r >= 68))
    fail(`${idxName}: "idx_to_rigid_landmark_idx" must index the 68 landmarks`);
  if (
    idx.expressions &&
    m.expression_modes.names &&
    idx.expressions.join() !== m.expression_modes.names.join()
  )
    fail(`${idxName}: its expression list differs from ${manifestName}'s expression_modes.names`);

  return {
    source: typeof m.source === 'string' ? m.source : manifestName,
    units: typeof m.units === 'string' ? m.units : 'unknown',
    vertexCount,
    neutral: obj.positions,
    texcoords: obj.texcoords,
    triangles: obj.triangles,
    uvTriangles: obj.uvTriangles,
    groups: obj.groups,
    regions: regions(m, vertexCount, manifestName),
    identity,
    expression,
    landmarks: Uint32Array.from(lm),
    rigidLandmarks: Uint32Array.from(rigid),
  };
}
