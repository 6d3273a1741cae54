import { Conv2d } from '../conv/conv2d.ts';
import { ConvTranspose2d, torchConvTransposeWeightsToTf } from '../conv/conv-transpose2d.ts';
import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { Dense } from '../dense/dense.ts';
import { binary, unary, type BinaryOp, type UnaryOp } from '../elementwise/elementwise.ts';
import { concat } from '../concat/concat.ts';
import { batchNorm, instanceNorm } from '../norm/norm.ts';
import {
  dilateKernel,
  liftTo2d,
  onnxConv2d,
  onnxConvTranspose2d,
  onnxPad2d,
  onnxPool2d,
  onnxResize,
  oihwToHwio,
  unsupported,
} from '../onnx/onnx.ts';
import type { OnnxAttribute } from '../onnx/onnx.ts';
import type { OnnxTensor } from '../onnx/proto.ts';
import { pad } from '../pad/pad.ts';
import { depthToSpace } from '../pixel-shuffle/pixel-shuffle.ts';
import { pool2d } from '../pool/pool.ts';
import { globalMean } from '../reduce/moments.ts';
import { softmax } from '../reduce/softmax.ts';
import { reshape } from '../reshape/reshape.ts';
import { resize } from '../resize/resize.ts';

/** One ONNX node with its inputs, as the conformance runner gives it to the page. */
export interface NodeCase {
  name: string;
  op: string;
  opset: number;
  attrs: Record<string, OnnxAttribute>;
  /** Aligned with the node's inputs; null for an omitted optional input. */
  inputs: (OnnxTensor | null)[];
  outputCount: number;
}

export interface NodeOutput {
  dims: number[];
  data: Float32Array;
}

/**
 * How an ONNX value sits in a kernel tensor: 'image' is [N, C, H, W] as NHWC; 'rows' is the row-major
 * data as [1, 1, rows, cols] (any rank, the row-major order of NHWC's pixels and channels).
 */
interface Placed {
  t: Tensor;
  dims: number[];
  layout: 'image' | 'rows';
}

const EXACT_INT_OPS = new Set(['Pad', 'Concat', 'DepthToSpace', 'MaxPool', 'Min', 'Max', 'Clip']);
const INT_TYPES = new Set(['INT8', 'UINT8', 'INT16', 'UINT16', 'INT32', 'UINT32', 'INT64', 'UINT64']);

const size = (d: readonly number[]) => d.reduce((a, b) => a * b, 1);

function nchwToNhwc(x: ArrayLike<number>, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(n * c * h * w);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let p = 0; p < h * w; p++) out[(b * h * w + p) * c + ch] = x[(b * c + ch) * h * w + p];
  return out;
}

function nhwcToNchw(x: ArrayLike<number>, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(n * c * h * w);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let p = 0; p < h * w; p++) out[(b * c + ch) * h * w + p] = x[(b * h * w + p) * c + ch];
  return out;
}

/** numpy's broadcast of two shapes, or a KernelError. */
function broadcastShape(op: string, a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  const pa = [...Array(r - a.length).fill(1), ...a];
  const pb = [...Array(r - b.length).fill(1), ...b];
  return pa.map((d, i) => {
    if (d !== pb[i] && d !== 1 && pb[i] !== 1) {
      throw new KernelError(`onnx.${op}`, `shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast`);
    }
    return Math.max(d, pb[i]);
  });
}

/**
 * The binary kernel reads b as a's shape, per channel (the trailing dims), per pixel (the leading dims)
 * or one value: the row split [rows, cols] of the output under which b is one of those, or undefined.
 */
function rowSplit(
  out: readonly number[],
  b: readonly number[],
): { rows: number; cols: number; b4: Shape4 } | undefined {
  const pb = [...Array(out.length - b.length).fill(1), ...b];
  const total = size(out);
  if (size(b) === 1) return { rows: 1, cols: total, b4: [1, 1, 1, 1] };
  if (pb.every((d, i) => d === out[i])) return { rows: 1, cols: total, b4: [1, 1, 1, total] };
  for (let k = 1; k < out.length; k++) {
    const cols = size(out.slice(k));
    const rows = total / cols;
    if (pb.every((d, i) => (i < k ? d === 1 : d === out[i]))) return { rows, cols, b4: [1, 1, 1, cols] };
    if (pb.every((d, i) => (i < k ? d === out[i] : d === 1))) return { rows, cols, b4: [1, 1, rows, 1] };
  }
  return undefined;
}

export class NodeRunner {
  private readonly owned: Tensor[] = [];
  private readonly layers: { dispose(): void }[] = [];

  constructor(private readonly ctx: KernelContext) {}

  private keep<T extends Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }

  private upload(data: Float32Array, shape: Shape4, label: string): Tensor {
    return this.keep(Tensor.fromArray(this.ctx, data, shape, label));
  }

  private float(op: string, v: OnnxTensor | null, what: string): OnnxTensor {
    if (!v) throw new KernelError(`onnx.${op}`, `missing input ${what}`);
    if (v.dtype === 'FLOAT') return v;
    // Ops that only move, compare or select values give integers exactly in float32 below 2^24.
    const exact =
      EXACT_INT_OPS.has(op) && INT_TYPES.has(v.dtype) && v.data.every((x) => Math.abs(x) < 2 ** 24);
    if (!exact) throw unsupported(op, `data type ${v.dtype} (${what}; the kernels compute in float32)`);
    return { ...v, data: Float32Array.from(v.data) };
  }

  private image(op: string, v: OnnxTensor): Tensor {
    if (v.dims.length !== 4)
      throw unsupported(op, `a rank-${v.dims.length} input ${fmtShape(v.dims)} (only [N, C, H, W])`);
    const [n, c, h, w] = v.dims;
    return this.upload(nchwToNhwc(v.data, v.dims), [n, h, w, c], v.name);
  }

  private rows(t: Tensor | OnnxTensor, rows: number, cols: number): Tensor {
    if (!(t instanceof Tensor)) return this.upload(Float32Array.from(t.data), [1, 1, rows, cols], t.name);
    const [n, h, w, c] = t.shape;
    if (n === 1 && h === 1 && w === rows && c === cols) return t;
    return this.keep(reshape(this.ctx, t, [1, 1, rows, cols]));
  }

  /** a ⊕ b with numpy broadcasting, where b (or, for commutative ops, a) fits a binary-kernel mode. */
  private broadcast(op: string, kop: BinaryOp, a: Placed | OnnxTensor, b: Placed | OnnxTensor): Placed {
    const dimsOf = (v: Placed | OnnxTensor) => v.dims;
    const out = broadcastShape(op, dimsOf(a), dimsOf(b));
    const full = (v: Placed | OnnxTensor) => size(dimsOf(v)) === size(out);
    let [x, y] = [a, b];
    if (!full(x) && full(y) && ['add', 'mul', 'min', 'max'].includes(kop)) [x, y] = [b, a];
    const split = full(x) ? rowSplit(out, dimsOf(y)) : undefined;
    if (!split) throw unsupported(op, `broadcasting ${fmtShape(dimsOf(a))} with ${fmtShape(dimsOf(b))}`);
    const src = (v: Placed | OnnxTensor) => ('t' in v ? v.t : v);
    const xt = this.rows(src(x), split.rows, split.cols);
    const yv = src(y);
    const [, , bh, bc] = split.b4;
    const yt = this.rows(yv, bh, bc);
    return { t: this.keep(binary(this.ctx, kop, xt, yt)), dims: out, layout: 'rows' };
  }

  private asRows(v: OnnxTensor): Placed {
    return { t: this.rows(v, 1, size(v.dims)), dims: v.dims, layout: 'rows' };
  }

  run(c: NodeCase): Placed[] {
    const { ctx } = this;
    const { op, attrs } = c;
    const inp = (i: number, what: string) => this.float(op, c.inputs[i] ?? null, what);
    const opt = (i: number) => c.inputs[i] ?? null;
    const num = (k: string, d: number) => (attrs[k] === undefined ? d : Number(attrs[k]));
    const placeImage = (t: Tensor): Placed => {
      const [n, h, w, ch] = t.shape;
      return { t: this.keep(t), dims: [n, ch, h, w], layout: 'image' };
    };
    // 1-D nodes run as 2-D ones on [N, C, 1, W]; their output drops the unit H again.
    const spatial = (v: OnnxTensor) => {
      const l = liftTo2d(attrs, v.dims);
      const x = { ...v, dims: l.x };
      const place = (t: Tensor): Placed => {
        const p = placeImage(t);
        return l.lifted ? { ...p, dims: [p.dims[0], p.dims[1], p.dims[3]] } : p;
      };
      return { attrs: l.attrs, x, place };
    };
    const lifted = (w: OnnxTensor) => (w.dims.length === 3 ? [w.dims[0], w.dims[1], 1, w.dims[2]] : w.dims);
    if (c.outputCount > 1 && !['BatchNormalization'].includes(op)) {
      throw unsupported(op, `${c.outputCount} outputs`);
    }
    switch (op) {
      case 'Conv': {
        const [v, w] = [inp(0, 'X'), inp(1, 'W')];
        const { attrs: a2, x: xv, place } = spatial(v);
        const wd = lifted(w);
        const g = onnxConv2d(a2, xv.dims, wd);
        const [m, cg, kh, kw] = wd;
        const bias = opt(2)?.data;
        const layer = Conv2d.create(ctx, oihwToHwio(w.data as Float32Array, wd), [kh, kw, cg, m], {
          ...g,
          bias: bias && Float32Array.from(bias),
        });
        this.layers.push(layer);
        return [place(layer.run(this.image(op, xv)))];
      }
      case 'ConvTranspose': {
        const [v, w] = [inp(0, 'X'), inp(1, 'W')];
        const { attrs: a2, x: xv, place } = spatial(v);
        const { kernelDilation, ...g } = onnxConvTranspose2d(a2, xv.dims, lifted(w));
        const dilated = dilateKernel(w.data as Float32Array, lifted(w), kernelDilation);
        const tf = torchConvTransposeWeightsToTf(dilated.data, dilated.dims);
        const bias = opt(2)?.data;
        const layer = ConvTranspose2d.create(ctx, tf.weights, tf.shape, {
          ...g,
          bias: bias && Float32Array.from(bias),
        });
        this.layers.push(layer);
        return [place(layer.run(this.image(op, xv)))];
      }
      case 'MaxPool':
      case 'AveragePool': {
        const { attrs: a2, x: xv, place } = spatial(inp(0, 'X'));
        return [place(pool2d(ctx, this.image(op, xv), onnxPool2d(op, a2, xv.dims)))];
      }
      case 'GlobalAveragePool':
        return [placeImage(globalMean(ctx, this.image(op, inp(0, 'X'))))];
      case 'InstanceNormalization': {
        const [xv, s, b] = [inp(0, 'input'), inp(1, 'scale'), inp(2, 'B')];
        const gamma = Float32Array.from(s.data);
        const beta = Float32Array.from(b.data);
        return [
          placeImage(instanceNorm(ctx, this.image(op, xv), { eps: num('epsilon', 1e-5), gamma, beta })),
        ];
      }
      case 'BatchNormalization': {
        if (num('training_mode', 0) !== 0) throw unsupported(op, 'training_mode 1');
        if (c.outputCount > 1) throw unsupported(op, `${c.outputCount} outputs (running statistics)`);
        const [xv, s, b, mean, variance] = [0, 1, 2, 3, 4].map((i) => inp(i, `input ${i}`));
        const f = (t: OnnxTensor) => Float32Array.from(t.data);
        const params = {
          gamma: f(s),
          beta: f(b),
          mean: f(mean),
          variance: f(variance),
          eps: num('epsilon', 1e-5),
        };
        return [placeImage(batchNorm(ctx, this.image(op, xv), params))];
      }
      case 'DepthToSpace': {
        const mode = String(attrs.mode ?? 'DCR');
        if (mode !== 'DCR' && mode !== 'CRD') throw unsupported(op, `mode "${mode}"`);
        return [placeImage(depthToSpace(ctx, this.image(op, inp(0, 'input')), num('blocksize', 0), mode))];
      }
      case 'Pad': {
        const xv = inp(0, 'data');
        const pads = c.opset >= 11 ? [...(opt(1)?.data ?? [])] : ((attrs.pads as number[]) ?? []);
        const constant = c.opset >= 11 ? (opt(2)?.data[0] ?? 0) : num('value', 0);
        const p = onnxPad2d(attrs, xv.dims, pads, constant);
        const [top, bottom, left, right] = p.pads;
        const spec = { top, bottom, left, right, mode: p.mode, value: p.value };
        return [placeImage(pad(ctx, this.image(op, xv), spec))];
      }
      case 'Resize': {
        const xv = inp(0, 'X');
        const [scales, sizes] = c.opset >= 11 ? [opt(2), opt(3)] : [opt(1), null];
        const r = onnxResize(
          attrs,
          xv.dims,
          scales ? [...scales.data] : undefined,
          sizes ? [...sizes.data] : undefined,
        );
        return [placeImage(resize(ctx, this.image(op, xv), r))];
      }
      case 'Softmax': {
        const xv = inp(0, 'input');
        const r = xv.dims.length;
        const axis = (num('axis', c.opset >= 13 ? -1 : 1) + r) % r;
        // Before opset 13 the input is flattened to 2-D at `axis`; from 13 on only the last axis is one row.
        if (c.opset >= 13 && axis !== r - 1)
          throw unsupported(op, `axis ${axis} of a rank-${r} input (only the last)`);
        const cols = size(xv.dims.slice(axis));
        const t = softmax(ctx, this.rows(xv, size(xv.dims) / cols, cols));
        return [{ t: this.keep(t), dims: xv.dims, layout: 'rows' }];
      }
      case 'Concat': {
        const vs = c.inputs.map((v, i) => this.float(op, v, `input ${i}`));
        const r = vs[0].dims.length;
        const axis = (num('axis', 0) + r) % r;
        // Concatenating along `axis` is concatenating rows of [outer, dims[axis:]] along the columns.
        const outer = size(vs[0].dims.slice(0, axis));
        const parts = vs.map((v) => this.rows(v, outer, size(v.dims) / outer));
        const dims = [...vs[0].dims];
        dims[axis] = vs.reduce((a, v) => a + v.dims[axis], 0);
        return [{ t: this.keep(concat(ctx, parts)), dims, layout: 'rows' }];
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div':
      case 'Min':
      case 'Max':
      case 'Sum': {
        const kop = (
          { Add: 'add', Sub: 'sub', Mul: 'mul', Div: 'div', Min: 'min', Max: 'max', Sum: 'add' } as const
        )[op];
        const vs = c.inputs.map((v, i) => this.float(op, v, `input ${i}`));
        if (vs.length === 1)
          return [this.broadcast(op, 'add', vs[0], { ...vs[0], dims: [1], data: new Float32Array(1) })];
        let acc: Placed | OnnxTensor = vs[0];
        for (const v of vs.slice(1)) acc = this.broadcast(op, kop, acc, v);
        return [acc as Placed];
      }
      case 'Relu':
      case 'Sigmoid':
      case 'Tanh':
      case 'Exp':
      case 'Abs':
      case 'Neg':
      case 'Sqrt':
      case 'LeakyRelu': {
        const xv = this.asRows(inp(0, 'X'));
        const uop = (op === 'LeakyRelu' ? 'leakyRelu' : op.toLowerCase()) as UnaryOp;
        const t = unary(ctx, uop, xv.t, { alpha: num('alpha', 0.01) });
        return [{ ...xv, t: this.keep(t) }];
      }
      case 'PRelu': {
        // PRelu(x) = relu(x) + slope · min(x, 0), for any slope that broadcasts as the binary kernel reads it.
        const [xv, slope] = [inp(0, 'X'), inp(1, 'slope')];
        const x = this.asRows(xv);
        const pos: Placed = { ...x, t: this.keep(unary(ctx, 'relu', x.t)) };
        const neg: Placed = { ...x, t: this.keep(binary(ctx, 'min', x.t, 0)) };
        return [this.broadcast(op, 'add', pos, this.broadcast(op, 'mul', neg, slope))];
      }
      case 'Clip': {
        const xv = this.asRows(inp(0, 'input'));
        const lo = c.opset >= 11 ? opt(1)?.data[0] : (attrs.min as number | undefined);
        const hi = c.opset >= 11 ? opt(2)?.data[0] : (attrs.max as number | undefined);
        let t = xv.t;
        if (lo !== undefined) t = this.keep(binary(ctx, 'max', t, lo));
        if (hi !== undefined) t = this.keep(binary(ctx, 'min', t, hi));
        if (t === xv.t) t = this.keep(binary(ctx, 'add', t, 0));
        return [{ ...xv, t }];
      }
      case 'MatMul':
      case 'Gemm': {
        const [a, b] = [inp(0, 'A'), inp(1, 'B')];
        if (a.dims.length !== 2 || b.dims.length !== 2) {
          throw unsupported(op, `${fmtShape(a.dims)} · ${fmtShape(b.dims)} (only 2-D matrices, no batches)`);
        }
        if (num('transA', 0)) throw unsupported(op, 'transA 1 (A is an activation)');
        const transB = num('transB', 0) === 1;
        const [k, n] = transB ? [b.dims[1], b.dims[0]] : b.dims;
        const alpha = num('alpha', 1);
        // B is a constant of the model: transposing and scaling it is weight preparation.
        const w = new Float32Array(k * n);
        for (let i = 0; i < k; i++)
          for (let j = 0; j < n; j++) w[i * n + j] = alpha * b.data[transB ? j * k + i : i * n + j];
        const layer = Dense.create(ctx, w, [k, n]);
        this.layers.push(layer);
        const m = a.dims[0];
        const y: Placed = { t: this.keep(layer.run(this.rows(a, m, k))), dims: [m, n], layout: 'rows' };
        const cv = op === 'Gemm' ? opt(2) : null;
        if (!cv) return [y];
        const beta = num('beta', 1);
        const scaled = { ...cv, data: Float32Array.from(cv.data, (v) => beta * v) };
        return [this.broadcast(op, 'add', y, scaled)];
      }
      default:
        throw unsupported(op, 'the op');
    }
  }

  async read(p: Placed): Promise<NodeOutput> {
    const data = await p.t.read();
    if (p.layout === 'rows') return { dims: p.dims, data };
    // An image's NCHW order from the tensor's own shape (a 1-D node's output reports [N, C, W]).
    const [n, h, w, c] = p.t.shape;
    return { dims: p.dims, data: nhwcToNchw(data, [n, c, h, w]) };
  }

  dispose(): void {
    for (const t of this.owned) t.dispose();
    for (const l of this.layers) l.dispose();
  }
}
