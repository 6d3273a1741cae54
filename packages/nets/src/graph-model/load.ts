import { asGraphModelJson, type GraphModelJson } from './model-json.ts';
import { decodeWeightGroup, type ConstTensor } from '../tfjs/weights.ts';

/** A graph model as read from disk or the network: the topology and its dequantised constants. */
export interface GraphModelArtifacts {
  /** Where it came from, for error messages. */
  file: string;
  json: GraphModelJson;
  consts: Map<string, ConstTensor>;
}

export type FetchBytes = (url: string) => Promise<Uint8Array>;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Builds the artifacts from an already parsed model.json and its shards (group by group, path order). */
export function graphModelFromParts(
  json: unknown,
  shards: Uint8Array[][],
  file: string,
): GraphModelArtifacts {
  const model = asGraphModelJson(json, file);
  const consts = new Map<string, ConstTensor>();
  model.weightsManifest.forEach((group, g) => {
    for (const c of decodeWeightGroup(group, shards[g] ?? [], file)) consts.set(c.name, c);
  });
  return { file, json: model, consts };
}

/** A graph model's files as fetched: model.json's bytes and its weight shards (group by group, path order). */
export interface GraphModelFiles {
  url: string;
  json: Uint8Array;
  shards: Uint8Array[][];
}

/**
 * Fetches model.json and every weight shard it lists (resolved relative to the JSON's URL).
 * `fetcher` lets Node callers read files instead.
 */
export async function fetchGraphModelFiles(
  url: string,
  fetcher: FetchBytes = fetchBytes,
): Promise<GraphModelFiles> {
  const json = await fetcher(url);
  const model = asGraphModelJson(parseJson(json, url), url);
  const base = new URL(url, typeof location === 'undefined' ? 'file:///' : location.href);
  const shards = await Promise.all(
    model.weightsManifest.map((g) => Promise.all(g.paths.map((p) => fetcher(new URL(p, base).href)))),
  );
  return { url, json, shards };
}

/** The artifacts of fetched files: the topology parsed and the constants dequantised. */
export function graphModelFromFiles(files: GraphModelFiles): GraphModelArtifacts {
  return graphModelFromParts(parseJson(files.json, files.url), files.shards, files.url);
}

/** fetchGraphModelFiles, then graphModelFromFiles. */
export async function loadGraphModel(
  url: string,
  fetcher: FetchBytes = fetchBytes,
): Promise<GraphModelArtifacts> {
  return graphModelFromFiles(await fetchGraphModelFiles(url, fetcher));
}

function parseJson(bytes: Uint8Array, url: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`${url}: invalid JSON (${(e as Error).message})`, { cause: e });
  }
}
