import * as onnxProto from 'onnx-proto';
import type { onnx as OnnxNs } from 'onnx-proto';
import { KernelError, fmtShape } from '../core/errors.ts';
import type { OnnxAttribute, OnnxAttributes } from './onnx.ts';

/**
 * ONNX protobuf messages (decoded by onnx-proto) as plain values: attributes as numbers, strings and
 * arrays, tensors as typed arrays with their dims. Imported by path (`@avatarme/kernels/onnx/proto.ts`),
 * not from the package index, so only its users load the protobuf runtime.
 */
// onnx-proto is CommonJS: Node's ESM loader exposes it as `default` only, bundlers also by name.
const cjs = onnxProto as typeof onnxProto & { default?: typeof onnxProto };
export const onnx: typeof OnnxNs = cjs.onnx ?? cjs.default!.onnx;

export type OnnxModelProto = OnnxNs.ModelProto;
export type OnnxNodeInit = OnnxNs.INodeProto;
export type OnnxTensorInit = OnnxNs.ITensorProto;
export type OnnxAttributeInit = OnnxNs.IAttributeProto;

/** A decoded tensor: float types as Float32Array, integer and bool types as Float64Array (exact to 2^53). */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dtype: string;
  data: Float32Array | Float64Array;
}

type Int64 = number | { toNumber(): number };

export function int64(v: Int64 | null | undefined): number {
  return v == null ? 0 : typeof v === 'number' ? v : v.toNumber();
}

const T = onnx.TensorProto.DataType;

/** Bytes per element in raw_data, and how to read element i (little-endian, as ONNX stores it). */
const RAW: Partial<Record<number, [number, (v: DataView, i: number) => number]>> = {
  [T.FLOAT]: [4, (v, i) => v.getFloat32(4 * i, true)],
  [T.DOUBLE]: [8, (v, i) => v.getFloat64(8 * i, true)],
  [T.INT64]: [8, (v, i) => Number(v.getBigInt64(8 * i, true))],
  [T.INT32]: [4, (v, i) => v.getInt32(4 * i, true)],
  [T.UINT64]: [8, (v, i) => Number(v.getBigUint64(8 * i, true))],
  [T.UINT32]: [4, (v, i) => v.getUint32(4 * i, true)],
  [T.INT16]: [2, (v, i) => v.getInt16(2 * i, true)],
  [T.UINT16]: [2, (v, i) => v.getUint16(2 * i, true)],
  [T.INT8]: [1, (v, i) => v.getInt8(i)],
  [T.UINT8]: [1, (v, i) => v.getUint8(i)],
  [T.BOOL]: [1, (v, i) => v.getUint8(i)],
};

/** The typed field that holds the values when raw_data is empty. */
function fieldValues(t: OnnxTensorInit): ArrayLike<Int64> {
  switch (t.dataType) {
    case T.FLOAT:
      return t.floatData ?? [];
    case T.DOUBLE:
      return t.doubleData ?? [];
    case T.INT64:
      return t.int64Data ?? [];
    case T.UINT64:
    case T.UINT32:
      return t.uint64Data ?? [];
    default:
      return t.int32Data ?? [];
  }
}

export function decodeTensor(t: OnnxTensorInit, where = 'tensor'): OnnxTensor {
  const dims = (t.dims ?? []).map(int64);
  const count = dims.reduce((a, b) => a * b, 1);
  const dtype = T[t.dataType ?? 0] ?? String(t.dataType);
  const name = t.name ?? '';
  const what = `${where} "${name}" ${fmtShape(dims)}`;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new KernelError('onnx', `${what} keeps its data in an external file, which is not supported`);
  }
  const raw = RAW[t.dataType ?? 0];
  if (!raw) throw new KernelError('onnx', `${what} has data type ${dtype}, which is not supported`);
  const data =
    t.dataType === T.FLOAT || t.dataType === T.DOUBLE ? new Float32Array(count) : new Float64Array(count);
  if (t.rawData && t.rawData.length) {
    const [size, read] = raw;
    if (t.rawData.length < count * size) {
      throw new KernelError(
        'onnx',
        `${what} has ${t.rawData.length} bytes of ${dtype}, needs ${count * size}`,
      );
    }
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    for (let i = 0; i < count; i++) data[i] = read(view, i);
  } else {
    const values = fieldValues(t);
    if (values.length < count) throw new KernelError('onnx', `${what} has ${values.length} values`);
    for (let i = 0; i < count; i++) data[i] = int64(values[i]);
  }
  return { name, dims, dtype, data };
}

/** A node's attributes as plain values; tensor attributes (Constant's value) are decoded too. */
export function decodeAttributes(node: OnnxNodeInit): {
  attrs: Record<string, OnnxAttribute>;
  tensors: Record<string, OnnxTensor>;
} {
  const attrs: Record<string, OnnxAttribute> = {};
  const tensors: Record<string, OnnxTensor> = {};
  const A = onnx.AttributeProto.AttributeType;
  const text = (b: Uint8Array | null | undefined) => new TextDecoder().decode(b ?? new Uint8Array());
  for (const a of node.attribute ?? []) {
    const name = a.name ?? '';
    switch (a.type) {
      case A.FLOAT:
        attrs[name] = a.f ?? 0;
        break;
      case A.INT:
        attrs[name] = int64(a.i);
        break;
      case A.STRING:
        attrs[name] = text(a.s);
        break;
      case A.FLOATS:
        attrs[name] = [...(a.floats ?? [])];
        break;
      case A.INTS:
        attrs[name] = (a.ints ?? []).map(int64);
        break;
      case A.STRINGS:
        attrs[name] = (a.strings ?? []).map(text);
        break;
      case A.TENSOR:
        tensors[name] = decodeTensor(a.t!, `attribute ${name} of ${node.opType}`);
        break;
      default:
        throw new KernelError(
          `onnx.${node.opType}`,
          `attribute ${name} of type ${A[a.type ?? 0]} is not supported`,
        );
    }
  }
  return { attrs, tensors };
}

export type { OnnxAttributes };
