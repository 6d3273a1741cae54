import { MorphableModelError } from './errors.ts';
import type { ModelManifest, VertexIndicesFile } from './format.ts';
import type { ModelFileReader } from './load.ts';
import { parseObj, parseObjPositions } from './obj.ts';

export const NEUTRAL_OBJ = 'generic_neutral_mesh.obj';
export const VERTEX_INDICES = 'vertex_indices.json';
/** Files copied unchanged when the source folder has them (licence and material travel with the data). */
const COPIED = ['ICTFaceModelMaterial.mtl', 'LICENSE', 'CREDITS.md'];

/**
 * Vertex ranges of the ICT Face Model's parts, from ICT-FaceKit's README ("geometry" table); applied
 * only when the neutral mesh has ICT's 26,719 vertices.
 */
const ICT_GEOMETRY_RANGES: Record<string, [number, number]> = {
  face: [0, 9408],
  head_and_neck: [9409, 11247],
  mouth_socket: [11248, 13293],
  eye_socket_left: [13294, 13677],
  eye_socket_right: [13678, 14061],
  gums_and_tongue: [14062, 17038],
  teeth: [17039, 21450],
  eyeball_left: [21451, 23020],
  eyeball_right: [23021, 24590],
  lacrimal_fluid: [24591, 24998],
  eye_blend: [24999, 25046],
  eye_occlusion: [25047, 25350],
  eyelashes: [25351, 26718],
};

export interface ImportedModel {
  /** File name → contents, ready to write into the output folder. */
  files: Map<string, Uint8Array>;
  manifest: ModelManifest;
  /** OBJ files of the folder that are not part of the model (e.g. shapes outside the expression list). */
  ignored: string[];
}

function fail(message: string): never {
  throw new MorphableModelError(message);
}

const decode = (b: ArrayBuffer) => new TextDecoder().decode(b);

/** Mode k of a set: positions of `obj` minus the neutral's, rounded to float32 after subtracting in float64. */
function modeOffsets(
  neutral: Float64Array,
  objText: string,
  name: string,
  out: Float32Array,
  k: number,
): void {
  const pos = parseObjPositions(objText, name);
  if (pos.length !== neutral.length) {
    fail(`${name}: ${pos.length / 3} vertices, ${NEUTRAL_OBJ} has ${neutral.length / 3}`);
  }
  const base = k * neutral.length;
  for (let i = 0; i < neutral.length; i++) out[base + i] = pos[i] - neutral[i];
}

function stats(a: Float32Array): { absMax: number; rms: number } {
  let absMax = 0;
  let sq = 0;
  for (let i = 0; i < a.length; i++) {
    absMax = Math.max(absMax, Math.abs(a[i]));
    sq += a[i] * a[i];
  }
  return { absMax, rms: Math.sqrt(sq / a.length) };
}

/**
 * Builds the model folder (model.json, the neutral OBJ, identity_modes.f32, expression_modes.f32,
 * vertex_indices.json) from ICT-FaceKit's FaceXModel folder: `generic_neutral_mesh.obj`,
 * `identity000.obj` … (numbered from 0 without gaps), one OBJ per expression named as in
 * vertex_indices.json's "expressions" list (all other OBJs when it has none), all with the neutral's
 * vertex count.
 */
export async function importFaceXModel(
  names: readonly string[],
  read: ModelFileReader,
  onProgress?: (done: number, total: number, name: string) => void,
): Promise<ImportedModel> {
  const present = new Set(names);
  for (const need of [NEUTRAL_OBJ, VERTEX_INDICES]) {
    if (!present.has(need)) fail(`${need}: missing from the FaceXModel folder`);
  }
  const neutralBytes = await read(NEUTRAL_OBJ);
  const neutralText = decode(neutralBytes);
  const mesh = parseObj(neutralText, NEUTRAL_OBJ);
  const neutral = parseObjPositions(neutralText, NEUTRAL_OBJ);
  const vertexCount = neutral.length / 3;
  if (mesh.uvTriangles.length === 0) fail(`${NEUTRAL_OBJ}: faces have no texture coordinates`);
  const indicesBytes = await read(VERTEX_INDICES);
  let indices: VertexIndicesFile;
  try {
    indices = JSON.parse(decode(indicesBytes)) as VertexIndicesFile;
  } catch (e) {
    fail(`${VERTEX_INDICES}: not valid JSON (${(e as Error).message})`);
  }

  const identityNames = names
    .filter((n) => /^identity\d+\.obj$/.test(n))
    .sort((a, b) => parseInt(a.slice(8), 10) - parseInt(b.slice(8), 10));
  if (identityNames.length === 0)
    fail('identity000.obj: missing (no identity modes in the FaceXModel folder)');
  identityNames.forEach((n, i) => {
    if (parseInt(n.slice(8), 10) !== i)
      fail(
        `identity${String(i).padStart(3, '0')}.obj: missing (identity modes must be numbered 0..${identityNames.length - 1} without gaps)`,
      );
  });
  const expressionList =
    indices.expressions ??
    names
      .filter((n) => n.endsWith('.obj') && n !== NEUTRAL_OBJ && !identityNames.includes(n))
      .map((n) => n.slice(0, -4))
      .sort();
  if (expressionList.length === 0) fail('no expression OBJs in the FaceXModel folder');
  for (const e of expressionList) {
    if (!present.has(`${e}.obj`)) fail(`${e}.obj: missing (listed in ${VERTEX_INDICES} "expressions")`);
  }
  const used = new Set([NEUTRAL_OBJ, ...identityNames, ...expressionList.map((e) => `${e}.obj`)]);
  const ignored = names.filter((n) => n.endsWith('.obj') && !used.has(n)).sort();

  const total = identityNames.length + expressionList.length;
  const identity = new Float32Array(identityNames.length * vertexCount * 3);
  const expression = new Float32Array(expressionList.length * vertexCount * 3);
  let done = 0;
  for (const [k, name] of identityNames.entries()) {
    modeOffsets(neutral, decode(await read(name)), name, identity, k);
    onProgress?.(++done, total, name);
  }
  for (const [k, e] of expressionList.entries()) {
    modeOffsets(neutral, decode(await read(`${e}.obj`)), `${e}.obj`, expression, k);
    onProgress?.(++done, total, `${e}.obj`);
  }

  const sides = Object.entries(mesh.polygonSides)
    .map(([s, c]) => `${c} ${s === '3' ? 'triangles' : s === '4' ? 'quads' : `${s}-gons`}`)
    .join(', ');
  const idStats = stats(identity);
  const manifest: ModelManifest = {
    source:
      'ICT-FaceKit (USC Institute for Creative Technologies, Vision and Graphics Lab), FaceXModel folder, imported by avatarme import-face-model; MIT licence',
    neutral: `${NEUTRAL_OBJ} (original file: ${vertexCount} vertices, ${mesh.texcoords.length / 2} texture coordinates, ${sides}, ${mesh.groups.length} material groups)`,
    identity_modes: {
      file: 'identity_modes.f32',
      dtype: 'float32 little-endian',
      shape: [identityNames.length, vertexCount, 3],
      meaning:
        'identityNNN.obj vertex positions minus the neutral mesh; a face = neutral + sum_i w_i * mode_i with w_i ~ N(0,1)',
    },
    expression_modes: {
      file: 'expression_modes.f32',
      dtype: 'float32 little-endian',
      shape: [expressionList.length, vertexCount, 3],
      names: [...expressionList],
      meaning: 'ARKit-style expression blend shape minus the neutral mesh; weights in [0,1]',
    },
    vertex_indices: `${VERTEX_INDICES}: landmark vertices (68, multi-PIE order), rigid vertices, fitting vertices, per-expression fitting data`,
    ...(vertexCount === 26719 ? { geometry_ranges: ICT_GEOMETRY_RANGES } : {}),
    units: 'as in the source OBJ files (centimetres)',
    stats: {
      identity_abs_max: idStats.absMax,
      identity_rms: idStats.rms,
      expression_abs_max: stats(expression).absMax,
    },
  };

  const files = new Map<string, Uint8Array>();
  files.set('model.json', new TextEncoder().encode(`${JSON.stringify(manifest, null, 1)}\n`));
  files.set(NEUTRAL_OBJ, new Uint8Array(neutralBytes));
  files.set(VERTEX_INDICES, new Uint8Array(indicesBytes));
  files.set('identity_modes.f32', new Uint8Array(identity.buffer));
  files.set('expression_modes.f32', new Uint8Array(expression.buffer));
  for (const name of COPIED) if (present.has(name)) files.set(name, new Uint8Array(await read(name)));
  return { files, manifest, ignored };
}
