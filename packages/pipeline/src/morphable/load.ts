import { MorphableModelError } from './errors.ts';
import { assembleModel, manifestFileName, parseManifest } from './format.ts';
import type { MorphableModel } from './model.ts';

/** Reads one file of a model folder by name; throws MorphableModelError naming the file when it can't. */
export type ModelFileReader = (name: string) => Promise<ArrayBuffer>;

/** A reader over HTTP(S) relative to `base` (a folder URL; a trailing slash is added when missing). */
export function fetchModelReader(base: string | URL, init?: RequestInit): ModelFileReader {
  const root = new URL(
    String(base).endsWith('/') ? String(base) : `${String(base)}/`,
    globalThis.location?.href,
  );
  return async (name) => {
    const url = new URL(name, root);
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (e) {
      throw new MorphableModelError(`${url}: cannot fetch (${(e as Error).message})`);
    }
    if (!res.ok) throw new MorphableModelError(`${url}: HTTP ${res.status} ${res.statusText}`.trim());
    return res.arrayBuffer();
  };
}

const text = (b: ArrayBuffer) => new TextDecoder().decode(b);

/**
 * Loads a model folder (model.json, the neutral OBJ, identity/expression modes, vertex_indices.json).
 * In the page pass a folder URL; in Node pass `nodeModelReader(dir)` from ./node-files.ts.
 */
export async function loadMorphableModel(source: string | URL | ModelFileReader): Promise<MorphableModel> {
  const read = typeof source === 'function' ? source : fetchModelReader(source);
  const manifest = text(await read('model.json'));
  const m = parseManifest(manifest);
  const scales = (file?: string) => (file ? read(file) : Promise.resolve(undefined));
  const [neutralObj, identity, expression, identityScales, expressionScales, vertexIndices] =
    await Promise.all([
      read(manifestFileName(m.neutral)).then(text),
      read(m.identity_modes.file),
      read(m.expression_modes.file),
      scales(m.identity_modes.scales?.file),
      scales(m.expression_modes.scales?.file),
      read(manifestFileName(m.vertex_indices)).then(text),
    ]);
  return assembleModel({
    manifest,
    neutralObj,
    identity,
    expression,
    identityScales,
    expressionScales,
    vertexIndices,
  });
}
