import type { GraphSpec } from '../ir/spec.ts';
import { buildLayersGraph } from './build.ts';
import { LayersModelError, parseModelJson } from './model-json.ts';
import { readWeights, type ShardReader } from '../tfjs/weights.ts';

export interface LayersModelSource {
  /** The parsed model.json. */
  json: unknown;
  /** Reads a shard named in the manifest (a path relative to model.json). */
  readShard: ShardReader;
  /** Name for error messages (the model.json path or URL). */
  file: string;
}

/** Parses a layers-model and its weights into a graph spec (no GPU work). */
export async function importLayersModel(src: LayersModelSource): Promise<GraphSpec> {
  const model = parseModelJson(src.json, src.file);
  const weights = await readWeights(model.manifest, src.readShard, src.file);
  return buildLayersGraph(model, weights, src.file);
}

async function fetchBytes(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** A layers-model served over HTTP: model.json at `url`, shards next to it. */
export async function fetchLayersModel(url: string, opts: { signal?: AbortSignal } = {}): Promise<GraphSpec> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await fetchBytes(url, opts.signal)));
  } catch (e) {
    throw new LayersModelError(`${url}: cannot load model.json (${(e as Error).message})`);
  }
  return importLayersModel({
    json,
    file: url,
    readShard: (p) => fetchBytes(new URL(p, new URL(url, globalThis.location?.href)).href, opts.signal),
  });
}
