// Node side of the conformance runner: reads the committed ONNX cases and decodes their protobufs.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeAttributes, decodeTensor, int64, onnx, type OnnxTensor } from '../onnx/proto.ts';
import type { NodeCase } from './run-node.ts';

export const CASES_FILE = new URL('../../conformance/onnx-node-cases.json.gz', import.meta.url);

interface StoredCase {
  name: string;
  op: string;
  model: string;
  inputs: string[];
  outputs: string[];
}

export interface ConformanceCase extends NodeCase {
  expected: OnnxTensor[];
}

const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

/** A tensor of a type the decoder does not read (float16, strings) keeps its type and no data: the runner refuses it. */
function tensor(b64: string): OnnxTensor {
  const proto = onnx.TensorProto.decode(bytes(b64));
  try {
    return decodeTensor(proto);
  } catch {
    const dtype = onnx.TensorProto.DataType[proto.dataType ?? 0] ?? String(proto.dataType);
    return { name: proto.name ?? '', dims: (proto.dims ?? []).map(int64), dtype, data: new Float32Array(0) };
  }
}

export function loadConformanceCases(file: URL = CASES_FILE): ConformanceCase[] {
  const doc = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { cases: StoredCase[] };
  return doc.cases.map((s) => {
    const model = onnx.ModelProto.decode(bytes(s.model));
    const graph = model.graph!;
    const node = graph.node![0];
    const opset = int64(model.opsetImport?.find((o) => !o.domain)?.version);
    const given = new Map<string, OnnxTensor>();
    graph.input!.forEach((vi, i) => given.set(vi.name!, tensor(s.inputs[i])));
    const { attrs } = decodeAttributes(node);
    return {
      name: s.name,
      op: s.op,
      opset,
      attrs,
      inputs: node.input!.map((n) => (n ? (given.get(n) ?? null) : null)),
      outputCount: node.output!.filter(Boolean).length,
      expected: s.outputs.map(tensor),
    };
  });
}
