import { MorphableModelError } from './errors.ts';
import { manifestFileName, parseManifest, type ModeFileEntry, type VertexIndicesFile } from './format.ts';
import { quantiseModes } from './quantise.ts';

/**
 * The head regions the product renders, in vertex order from 0. The ICT regions after them (lacrimal
 * fluid, eye blend and occlusion shells, eyelashes) need transparency the renderer does not have,
 * so the compact model leaves their vertices out.
 */
export const COMPACT_REGIONS = [
  'face',
  'head_and_neck',
  'mouth_socket',
  'eye_socket_left',
  'eye_socket_right',
  'gums_and_tongue',
  'teeth',
  'eyeball_left',
  'eyeball_right',
];

/** Vertices per int8 scale block (see quantise.ts; 256 keeps the scales under 1% of the values). */
export const COMPACT_BLOCK = 256;

export interface FullModelFiles {
  manifest: string;
  neutralObj: string;
  identity: ArrayBuffer;
  expression: ArrayBuffer;
  vertexIndices: string;
}

/**
 * Builds the compact head folder shipped with the product from a full (float32) ICT model folder:
 * the vertices of COMPACT_REGIONS only, modes as block-scaled int8, the landmark lists of
 * vertex_indices.json. Deterministic: the same input gives the same bytes.
 */
export function compactModelFolder(full: FullModelFiles): Record<string, Uint8Array> {
  const m = parseManifest(full.manifest);
  const ranges = m.geometry_ranges ?? {};
  let keep = 0;
  for (const name of COMPACT_REGIONS) {
    const r = ranges[name];
    if (!r || r[0] !== keep)
      throw new MorphableModelError(
        `model.json: region "${name}" must start at vertex ${keep} (got ${r ? r[0] : 'none'})`,
      );
    keep = r[1] + 1;
  }
  const objName = manifestFileName(m.neutral);
  const neutralObj = trimObj(full.neutralObj, keep, objName);

  const idx = JSON.parse(full.vertexIndices) as VertexIndicesFile;
  const lost = idx.idx_to_landmark_verts.find((v) => v >= keep);
  if (lost !== undefined)
    throw new MorphableModelError(`vertex_indices.json: landmark vertex ${lost} is outside the kept ${keep}`);
  const vertexIndices = {
    expressions: idx.expressions,
    idx_to_landmark_verts: idx.idx_to_landmark_verts,
    idx_to_rigid_landmark_idx: idx.idx_to_rigid_landmark_idx,
  };

  const files: Record<string, Uint8Array> = {};
  const modes = (entry: ModeFileEntry, bytes: ArrayBuffer, stem: string): ModeFileEntry => {
    const [count, vertices] = entry.shape;
    const all = new Float32Array(bytes);
    const kept = new Float32Array(count * keep * 3);
    for (let k = 0; k < count; k++)
      kept.set(all.subarray(k * vertices * 3, (k * vertices + keep) * 3), k * keep * 3);
    const q = quantiseModes(kept, count, keep, COMPACT_BLOCK);
    files[`${stem}.i8`] = new Uint8Array(q.values.buffer);
    files[`${stem}_scales.f32`] = new Uint8Array(q.scales.buffer);
    return {
      ...entry,
      file: `${stem}.i8`,
      dtype: 'int8',
      scales: { file: `${stem}_scales.f32`, block: COMPACT_BLOCK },
      shape: [count, keep, 3],
    };
  };
  const manifest = {
    source: `${m.source}; compact derivative: ${COMPACT_REGIONS.length} regions (${keep} vertices), modes as int8 with one float32 scale per ${COMPACT_BLOCK} vertices`,
    neutral: `neutral.obj (the source's ${objName} without the vertices and faces of lacrimal fluid, eye shells and eyelashes)`,
    identity_modes: modes(m.identity_modes, full.identity, 'identity_modes'),
    expression_modes: modes(m.expression_modes, full.expression, 'expression_modes'),
    vertex_indices:
      'vertex_indices.json: landmark vertices (68, multi-PIE order), rigid landmarks, expression names',
    geometry_ranges: Object.fromEntries(COMPACT_REGIONS.map((r) => [r, ranges[r]])),
    units: m.units,
  };
  const enc = new TextEncoder();
  files['neutral.obj'] = enc.encode(neutralObj);
  files['vertex_indices.json'] = enc.encode(JSON.stringify(vertexIndices) + '\n');
  files['model.json'] = enc.encode(JSON.stringify(manifest, null, 1) + '\n');
  return files;
}

/** The OBJ with only vertices below `keep` and the faces made of them; vt, usemtl and the rest kept. */
function trimObj(text: string, keep: number, file: string): string {
  const out: string[] = [];
  let vertex = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('v ')) {
      if (vertex++ < keep) out.push(line);
    } else if (line.startsWith('f ')) {
      const refs = line.trim().split(/\s+/).slice(1);
      if (refs.some((r) => parseInt(r, 10) < 0))
        throw new MorphableModelError(`${file}: relative (negative) face indices are not supported`);
      if (refs.every((r) => parseInt(r, 10) <= keep)) out.push(line);
    } else if (!line.startsWith('vn ')) out.push(line);
  }
  return out.join('\n');
}
