import { parseWeightsManifest, type WeightGroup } from '../tfjs/weights.ts';

/**
 * The TF.js graph-model file (model.json): a TF GraphDef as JSON plus a weights manifest. Only what the
 * loader reads is typed; attribute values keep the converter's protobuf-JSON encoding (ints as
 * strings, strings as base64).
 */

export interface TensorShapeJson {
  dim?: { size: string }[];
  unknownRank?: boolean;
}

export interface AttrValue {
  s?: string;
  i?: string;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: TensorShapeJson;
  tensor?: { dtype: string; tensorShape?: TensorShapeJson };
  list?: { s?: string[]; i?: string[]; f?: number[]; b?: boolean[]; type?: string[] };
}

export interface NodeDef {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
  device?: string;
}

export interface SignatureEntry {
  name: string;
  dtype?: string;
  tensorShape?: TensorShapeJson;
}

export interface Signature {
  inputs?: Record<string, SignatureEntry>;
  outputs?: Record<string, SignatureEntry>;
}

export interface GraphModelJson {
  format?: string;
  modelTopology: { node: NodeDef[]; library?: unknown; versions?: unknown };
  weightsManifest: WeightGroup[];
  signature?: Signature;
  userDefinedMetadata?: { signature?: Signature };
}

/** Checks the top level of a parsed model.json is a graph model; `file` names it in errors. */
export function asGraphModelJson(json: unknown, file: string): GraphModelJson {
  const j = json as Partial<GraphModelJson> | null;
  if (!j || typeof j !== 'object') throw new Error(`${file}: not a JSON object`);
  if (j.format !== undefined && j.format !== 'graph-model') {
    throw new Error(`${file}: format "${j.format}" is not a graph-model (layers models need another loader)`);
  }
  if (!j.modelTopology || !Array.isArray(j.modelTopology.node)) {
    throw new Error(`${file}: modelTopology.node is missing; not a TF.js graph model`);
  }
  return { ...(j as GraphModelJson), weightsManifest: parseWeightsManifest(j, file) };
}

/** The model's signature: the top-level one, or the copy some converters put in userDefinedMetadata. */
export function signatureOf(model: GraphModelJson): Signature | undefined {
  return model.signature ?? model.userDefinedMetadata?.signature;
}

/** "name:0" → "name"; "^ctrl" control inputs are reported by the caller. */
export function tensorNodeName(ref: string): string {
  const colon = ref.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(ref.slice(colon + 1)) ? ref.slice(0, colon) : ref;
}

export function decodeBase64(s: string): string {
  return atob(s);
}

/** Typed reads of one node's attributes; every failure names the node. */
export class Attrs {
  constructor(private readonly node: NodeDef) {}

  private get(name: string): AttrValue | undefined {
    return this.node.attr?.[name];
  }

  fail(message: string): never {
    throw new Error(`graph node "${this.node.name}" (${this.node.op}): ${message}`);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  string(name: string, dflt?: string): string {
    const a = this.get(name);
    if (a?.s === undefined) {
      if (dflt !== undefined) return dflt;
      this.fail(`attribute "${name}" (string) is missing`);
    }
    return decodeBase64(a.s);
  }

  int(name: string, dflt?: number): number {
    const a = this.get(name);
    if (a?.i === undefined) {
      if (dflt !== undefined) return dflt;
      this.fail(`attribute "${name}" (int) is missing`);
    }
    return Number(a.i);
  }

  float(name: string, dflt?: number): number {
    const a = this.get(name);
    if (a?.f === undefined) {
      if (dflt !== undefined) return dflt;
      this.fail(`attribute "${name}" (float) is missing`);
    }
    return Number(a.f);
  }

  bool(name: string, dflt?: boolean): boolean {
    const a = this.get(name);
    if (a?.b === undefined) {
      if (dflt !== undefined) return dflt;
      this.fail(`attribute "${name}" (bool) is missing`);
    }
    return a.b;
  }

  ints(name: string, dflt?: number[]): number[] {
    const a = this.get(name);
    if (!a?.list) {
      if (dflt !== undefined) return dflt;
      this.fail(`attribute "${name}" (int list) is missing`);
    }
    return (a.list.i ?? []).map(Number);
  }

  strings(name: string, dflt?: string[]): string[] {
    const a = this.get(name);
    if (!a?.list) {
      if (dflt !== undefined) return dflt;
      this.fail(`attribute "${name}" (string list) is missing`);
    }
    return (a.list.s ?? []).map(decodeBase64);
  }

  type(name: string, dflt?: string): string {
    const a = this.get(name);
    if (a?.type === undefined) {
      if (dflt !== undefined) return dflt;
      this.fail(`attribute "${name}" (type) is missing`);
    }
    return a.type;
  }

  /** Fails when the node carries an attribute outside `known`: silently ignoring one could change results. */
  only(known: readonly string[]): void {
    for (const k of Object.keys(this.node.attr ?? {})) {
      if (!known.includes(k)) this.fail(`attribute "${k}" is not supported`);
    }
  }
}
