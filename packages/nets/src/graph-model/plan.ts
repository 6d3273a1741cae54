import { Attrs, signatureOf, tensorNodeName, type NodeDef } from './model-json.ts';
import type { GraphModelArtifacts } from './load.ts';
import type { ConstTensor } from './weights.ts';

/**
 * A graph model lowered to steps our kernels run, in execution order. Constants that are weights are
 * folded into the step that uses them (filters, biases, slopes); only activations stay graph values.
 */

export type Activation = 'linear' | 'relu' | 'relu6' | 'prelu' | 'sigmoid' | 'tanh' | 'leakyRelu';
export type TfPadding = 'same' | 'valid' | [number, number, number, number];

/** A binary op's second operand when it is a constant: a scalar or a vector over the last axis. */
export type ConstOperand = number | Float32Array;

export type Step =
  | { kind: 'input'; name: string; shape: number[] }
  | {
      kind: 'conv';
      name: string;
      input: string;
      /** HWIO, or [kh, kw, cin, multiplier] when depthwise. */
      filter: ConstTensor;
      depthwise: boolean;
      stride: [number, number];
      dilation: [number, number];
      padding: TfPadding;
      bias?: Float32Array;
      activation: Activation;
      prelu?: Float32Array;
      leakySlope?: number;
    }
  | {
      kind: 'matmul';
      name: string;
      input: string;
      weights: Float32Array;
      shape: [number, number];
      bias?: Float32Array;
      activation: Activation;
    }
  | {
      kind: 'binary';
      name: string;
      op: 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max';
      a: string;
      b: string | ConstOperand;
    }
  | { kind: 'unary'; name: string; op: 'relu' | 'relu6' | 'sigmoid' | 'tanh'; input: string }
  | { kind: 'prelu'; name: string; input: string; slopes: Float32Array }
  | {
      kind: 'maxpool';
      name: string;
      input: string;
      kernel: [number, number];
      stride: [number, number];
      padding: 'same' | 'valid';
    }
  | { kind: 'padChannels'; name: string; input: string; after: number }
  | { kind: 'padSpatial'; name: string; input: string; pads: [number, number, number, number] }
  | { kind: 'reshape'; name: string; input: string; shape: number[] }
  | { kind: 'concat'; name: string; inputs: string[]; axis: number }
  | { kind: 'mean'; name: string; input: string; keepDims: boolean }
  | { kind: 'softmax'; name: string; input: string }
  | { kind: 'identity'; name: string; input: string };

export interface GraphPlan {
  file: string;
  steps: Step[];
  inputs: string[];
  outputs: string[];
  /** Signature keys and "node:0" spellings → node names. */
  aliases: Map<string, string>;
}

const FUSED_ACTIVATIONS: Record<string, Activation> = {
  Relu: 'relu',
  Relu6: 'relu6',
  Prelu: 'prelu',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  LeakyRelu: 'leakyRelu',
};

const BINARY: Record<string, 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max'> = {
  Add: 'add',
  AddV2: 'add',
  BiasAdd: 'add',
  Sub: 'sub',
  Mul: 'mul',
  RealDiv: 'div',
  Minimum: 'min',
  Maximum: 'max',
};
const COMMUTATIVE = new Set(['add', 'mul', 'min', 'max']);

const UNARY: Record<string, 'relu' | 'relu6' | 'sigmoid' | 'tanh'> = {
  Relu: 'relu',
  Relu6: 'relu6',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
};

/** Attributes every op may carry that do not change its result. */
const NEUTRAL_ATTRS = ['T', '_cloned', 'device', '_output_shapes'];
const CONV_ATTRS = [
  ...NEUTRAL_ATTRS,
  'strides',
  'padding',
  'explicit_paddings',
  'data_format',
  'dilations',
  'use_cudnn_on_gpu',
];

class Lowering {
  readonly steps: Step[] = [];
  constructor(
    private readonly model: GraphModelArtifacts,
    private readonly byName: Map<string, NodeDef>,
  ) {}

  /** The constant behind an input reference (through Identity nodes), or undefined for activations. */
  constOf(ref: string): ConstTensor | undefined {
    let node = this.byName.get(tensorNodeName(ref));
    while (node?.op === 'Identity' && node.input?.length === 1) {
      const next = this.byName.get(tensorNodeName(node.input[0]));
      if (next?.op !== 'Const' && next?.op !== 'Identity') break;
      node = next;
    }
    if (node?.op !== 'Const') return undefined;
    const c = this.model.consts.get(node.name);
    if (!c) throw new Error(`${this.model.file}: Const node "${node.name}" has no weights in the manifest`);
    return c;
  }

  requireConst(a: Attrs, ref: string, what: string): ConstTensor {
    const c = this.constOf(ref);
    if (!c) a.fail(`${what} (${ref}) must be a constant`);
    return c;
  }

  floats(a: Attrs, ref: string, what: string): Float32Array {
    const c = this.requireConst(a, ref, what);
    if (c.dtype !== 'float32') a.fail(`${what} (${ref}) must be float32, got ${c.dtype}`);
    return c.data as Float32Array;
  }

  ints(a: Attrs, ref: string, what: string): number[] {
    const c = this.requireConst(a, ref, what);
    if (c.dtype !== 'int32') a.fail(`${what} (${ref}) must be int32, got ${c.dtype}`);
    return [...c.data];
  }

  lower(node: NodeDef): void {
    const a = new Attrs(node);
    const inputs = (node.input ?? []).filter((i) => !i.startsWith('^'));
    const name = node.name;
    const op = node.op;
    if (op === 'Const') return;
    if (op === 'Placeholder') {
      a.only([...NEUTRAL_ATTRS, 'dtype', 'shape']);
      if (a.type('dtype', 'DT_FLOAT') !== 'DT_FLOAT')
        a.fail(`input dtype ${a.type('dtype')} is not DT_FLOAT`);
      const dims = node.attr?.shape?.shape?.dim ?? [];
      this.steps.push({ kind: 'input', name, shape: dims.map((d) => Number(d.size)) });
      return;
    }
    if (op === '_FusedConv2D' || op === 'Conv2D' || op === 'DepthwiseConv2dNative') {
      const fusedOps = op === '_FusedConv2D' ? a.strings('fused_ops') : [];
      a.only([
        ...CONV_ATTRS,
        ...(op === '_FusedConv2D' ? ['fused_ops', 'num_args', 'epsilon', 'leakyrelu_alpha'] : []),
      ]);
      const step = this.convGeometry(a, name, inputs[0], inputs[1], op === 'DepthwiseConv2dNative');
      if (fusedOps.length > 0) {
        if (fusedOps[0] !== 'BiasAdd')
          a.fail(`fused_ops [${fusedOps.join(', ')}]: only BiasAdd first is supported`);
        if (fusedOps.length > 2)
          a.fail(`fused_ops [${fusedOps.join(', ')}]: at most BiasAdd and one activation`);
        const numArgs = a.int('num_args');
        const want = fusedOps[1] === 'Prelu' ? 2 : 1;
        if (numArgs !== want || inputs.length !== 2 + want) {
          a.fail(
            `fused_ops [${fusedOps.join(', ')}] expects ${want} extra inputs, num_args is ${numArgs} with ${inputs.length} inputs`,
          );
        }
        step.bias = this.floats(a, inputs[2], 'bias');
        if (fusedOps[1]) {
          const act = FUSED_ACTIVATIONS[fusedOps[1]];
          if (!act) a.fail(`fused activation ${fusedOps[1]} is not supported`);
          step.activation = act;
          if (act === 'prelu') step.prelu = this.floats(a, inputs[3], 'prelu alpha');
          if (act === 'leakyRelu') step.leakySlope = a.float('leakyrelu_alpha', 0.2);
        }
      } else if (inputs.length !== 2) {
        a.fail(`expects 2 inputs, got ${inputs.length}`);
      }
      this.steps.push(step);
      return;
    }
    if (op === '_FusedMatMul' || op === 'MatMul') {
      a.only([
        ...NEUTRAL_ATTRS,
        'transpose_a',
        'transpose_b',
        'fused_ops',
        'num_args',
        'epsilon',
        'leakyrelu_alpha',
      ]);
      if (a.bool('transpose_a', false)) a.fail('transpose_a=true is not supported');
      const w = this.requireConst(a, inputs[1], 'weights');
      if (w.shape.length !== 2 || w.dtype !== 'float32')
        a.fail(`weights ${inputs[1]} must be a float32 matrix`);
      let [k, m] = w.shape;
      let weights = w.data as Float32Array;
      if (a.bool('transpose_b', false)) {
        [m, k] = w.shape;
        weights = transpose(weights, m, k);
      }
      const fusedOps = op === '_FusedMatMul' ? a.strings('fused_ops') : [];
      let bias: Float32Array | undefined;
      let activation: Activation = 'linear';
      if (fusedOps.length > 0) {
        if (fusedOps[0] !== 'BiasAdd' || fusedOps.length > 2 || a.int('num_args') !== 1) {
          a.fail(
            `fused_ops [${fusedOps.join(', ')}] with num_args ${a.int('num_args', 0)}: only BiasAdd(+Relu/Relu6/Sigmoid/Tanh) is supported`,
          );
        }
        bias = this.floats(a, inputs[2], 'bias');
        if (fusedOps[1]) {
          const act = FUSED_ACTIVATIONS[fusedOps[1]];
          if (!act || act === 'prelu' || act === 'leakyRelu')
            a.fail(`fused activation ${fusedOps[1]} is not supported`);
          activation = act;
        }
      }
      this.steps.push({ kind: 'matmul', name, input: inputs[0], weights, shape: [k, m], bias, activation });
      return;
    }
    if (op in BINARY) {
      a.only(NEUTRAL_ATTRS);
      if (inputs.length !== 2) a.fail(`expects 2 inputs, got ${inputs.length}`);
      if (op === 'BiasAdd' && a.string('data_format', 'NHWC') !== 'NHWC') a.fail('data_format must be NHWC');
      const kind = BINARY[op];
      let [x, y] = inputs;
      if (this.constOf(x) && !this.constOf(y)) {
        if (!COMMUTATIVE.has(kind)) a.fail(`a constant first operand of ${op} is not supported`);
        [x, y] = [y, x];
      }
      if (this.constOf(x)) a.fail('both operands are constants (fold them before conversion)');
      const c = this.constOf(y);
      let b: string | ConstOperand = y;
      if (c) {
        if (c.dtype !== 'float32') a.fail(`constant operand ${y} must be float32, got ${c.dtype}`);
        const n = c.data.length;
        // A vector over the last axis broadcasts like TF does only when all other dims are 1.
        if (c.shape.slice(0, -1).some((d) => d !== 1)) {
          a.fail(
            `constant operand ${y} of shape [${c.shape.join(', ')}] must be a scalar or a vector over the last axis`,
          );
        }
        b = n === 1 ? c.data[0] : (c.data as Float32Array);
      }
      this.steps.push({ kind: 'binary', name, op: kind, a: x, b });
      return;
    }
    if (op in UNARY) {
      a.only(NEUTRAL_ATTRS);
      this.steps.push({ kind: 'unary', name, op: UNARY[op], input: inputs[0] });
      return;
    }
    if (op === 'Prelu') {
      a.only(NEUTRAL_ATTRS);
      const slopes = this.floats(a, inputs[1], 'alpha');
      this.steps.push({ kind: 'prelu', name, input: inputs[0], slopes });
      return;
    }
    if (op === 'MaxPool') {
      a.only([...NEUTRAL_ATTRS, 'ksize', 'strides', 'padding', 'data_format', 'explicit_paddings']);
      if (a.string('data_format', 'NHWC') !== 'NHWC')
        a.fail(`data_format ${a.string('data_format')} is not NHWC`);
      const k = a.ints('ksize');
      const s = a.ints('strides');
      if (k[0] !== 1 || k[3] !== 1 || s[0] !== 1 || s[3] !== 1)
        a.fail(`pooling over batch or channels (ksize [${k}], strides [${s}]) is not supported`);
      const padding = a.string('padding');
      if (padding !== 'SAME' && padding !== 'VALID') a.fail(`padding ${padding} is not supported`);
      this.steps.push({
        kind: 'maxpool',
        name,
        input: inputs[0],
        kernel: [k[1], k[2]],
        stride: [s[1], s[2]],
        padding: padding === 'SAME' ? 'same' : 'valid',
      });
      return;
    }
    if (op === 'Pad' || op === 'PadV2') {
      a.only([...NEUTRAL_ATTRS, 'Tpaddings']);
      if (op === 'PadV2' && this.floats(a, inputs[2], 'constant value')[0] !== 0)
        a.fail('only zero padding is supported');
      const p = this.ints(a, inputs[1], 'paddings');
      if (p.length !== 8) a.fail(`paddings [${p}] must be 4×2 (rank-4 input)`);
      if (p[0] || p[1]) a.fail(`padding the batch axis (paddings [${p}]) is not supported`);
      const spatial = p[2] || p[3] || p[4] || p[5];
      const channels = p[6] || p[7];
      if (spatial && channels)
        a.fail(`padding spatial axes and channels at once (paddings [${p}]) is not supported`);
      if (p[6]) a.fail(`padding channels in front (paddings [${p}]) is not supported`);
      if (channels) this.steps.push({ kind: 'padChannels', name, input: inputs[0], after: p[7] });
      else this.steps.push({ kind: 'padSpatial', name, input: inputs[0], pads: [p[2], p[3], p[4], p[5]] });
      return;
    }
    if (op === 'Reshape') {
      a.only([...NEUTRAL_ATTRS, 'Tshape']);
      const shape = this.ints(a, inputs[1], 'shape');
      if (shape.filter((d) => d === -1).length > 1) a.fail(`shape [${shape}] has more than one -1`);
      if (shape.length > 4) a.fail(`shape [${shape}] has rank above 4`);
      this.steps.push({ kind: 'reshape', name, input: inputs[0], shape });
      return;
    }
    if (op === 'ConcatV2') {
      a.only([...NEUTRAL_ATTRS, 'N', 'Tidx']);
      const parts = inputs.slice(0, -1);
      const axis = this.ints(a, inputs[inputs.length - 1], 'axis')[0];
      for (const p of parts) if (this.constOf(p)) a.fail(`constant input ${p} is not supported`);
      // Only the last axis is supported; the executor checks the axis against the inputs' rank.
      this.steps.push({ kind: 'concat', name, inputs: parts, axis });
      return;
    }
    if (op === 'Mean') {
      a.only([...NEUTRAL_ATTRS, 'Tidx', 'keep_dims']);
      const axes = this.ints(a, inputs[1], 'reduction_indices').sort();
      if (axes.join(',') !== '1,2') a.fail(`mean over axes [${axes}] is not supported (spatial [1, 2] only)`);
      this.steps.push({ kind: 'mean', name, input: inputs[0], keepDims: a.bool('keep_dims', false) });
      return;
    }
    if (op === 'Softmax') {
      a.only(NEUTRAL_ATTRS);
      this.steps.push({ kind: 'softmax', name, input: inputs[0] });
      return;
    }
    if (op === 'Identity' || op === 'StopGradient' || op === 'NoOp') {
      a.only(NEUTRAL_ATTRS);
      if (op === 'NoOp') return;
      this.steps.push({ kind: 'identity', name, input: inputs[0] });
      return;
    }
    a.fail('op is not supported by this executor');
  }

  convGeometry(
    a: Attrs,
    name: string,
    input: string,
    filterRef: string,
    depthwise: boolean,
  ): Extract<Step, { kind: 'conv' }> {
    if (a.string('data_format', 'NHWC') !== 'NHWC')
      a.fail(`data_format ${a.string('data_format')} is not NHWC`);
    const s = a.ints('strides', [1, 1, 1, 1]);
    const d = a.ints('dilations', [1, 1, 1, 1]);
    if (s[0] !== 1 || s[3] !== 1) a.fail(`strides [${s}] over batch or channels are not supported`);
    if (d[0] !== 1 || d[3] !== 1) a.fail(`dilations [${d}] over batch or channels are not supported`);
    const filter = this.requireConst(a, filterRef, 'filter');
    if (filter.shape.length !== 4 || filter.dtype !== 'float32')
      a.fail(`filter ${filterRef} must be a float32 rank-4 tensor`);
    if (depthwise && filter.shape[3] !== 1)
      a.fail(`depthwise channel multiplier ${filter.shape[3]} is not supported (1 only)`);
    const mode = a.string('padding');
    let padding: TfPadding;
    if (mode === 'SAME') padding = 'same';
    else if (mode === 'VALID') padding = 'valid';
    else if (mode === 'EXPLICIT') {
      const p = a.ints('explicit_paddings');
      if (p.length !== 8 || p[0] || p[1] || p[6] || p[7])
        a.fail(`explicit_paddings [${p}] must pad H and W only`);
      padding = [p[2], p[3], p[4], p[5]];
    } else a.fail(`padding ${mode} is not supported`);
    if (mode !== 'EXPLICIT' && a.ints('explicit_paddings', []).length > 0)
      a.fail('explicit_paddings given without padding EXPLICIT');
    return {
      kind: 'conv',
      name,
      input,
      filter,
      depthwise,
      stride: [s[1], s[2]],
      dilation: [d[1], d[2]],
      padding,
      activation: 'linear',
    };
  }
}

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

/** Node names of the values a step reads. */
export function stepInputs(s: Step): string[] {
  switch (s.kind) {
    case 'input':
      return [];
    case 'binary':
      return typeof s.b === 'string' ? [s.a, s.b] : [s.a];
    case 'concat':
      return s.inputs;
    default:
      return [s.input];
  }
}

/**
 * Lowers a graph model to steps, keeping only what the requested outputs need (default: the
 * signature's outputs, else the nodes nothing consumes), in an order where every step follows its
 * inputs. Throws naming the node for any op or attribute the kernels cannot run exactly.
 */
export function planGraph(model: GraphModelArtifacts, outputs?: string[]): GraphPlan {
  const nodes = model.json.modelTopology.node;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const aliases = new Map<string, string>();
  const sig = signatureOf(model.json);
  for (const [key, e] of Object.entries(sig?.outputs ?? {})) aliases.set(key, tensorNodeName(e.name));
  for (const [key, e] of Object.entries(sig?.inputs ?? {})) aliases.set(key, tensorNodeName(e.name));
  const resolve = (ref: string): string => {
    const n = aliases.get(ref) ?? tensorNodeName(ref);
    if (!byName.has(n)) throw new Error(`${model.file}: no node or signature entry named "${ref}"`);
    return n;
  };

  let wanted: string[];
  if (outputs) wanted = outputs.map(resolve);
  else if (sig?.outputs) wanted = Object.values(sig.outputs).map((e) => resolve(e.name));
  else {
    const consumed = new Set(nodes.flatMap((n) => (n.input ?? []).map(tensorNodeName)));
    wanted = nodes.filter((n) => n.op !== 'Const' && !consumed.has(n.name)).map((n) => n.name);
  }

  // Depth-first post-order from the outputs: inputs before consumers, unreachable nodes dropped.
  const order: NodeDef[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    const st = state.get(name);
    if (st === 'done') return;
    if (st === 'visiting') throw new Error(`${model.file}: graph has a cycle through "${name}"`);
    const node = byName.get(name);
    if (!node) throw new Error(`${model.file}: node input "${name}" does not exist`);
    state.set(name, 'visiting');
    const stack = [...(node.input ?? [])].filter((i) => !i.startsWith('^'));
    for (const i of stack) visit(tensorNodeName(i));
    state.set(name, 'done');
    order.push(node);
  };
  for (const w of wanted) visit(w);

  const lowering = new Lowering(model, byName);
  for (const n of order) lowering.lower(n);
  const steps = lowering.steps;
  const produced = new Set(steps.map((s) => s.name));
  for (const s of steps) {
    for (const i of stepInputs(s)) {
      if (!produced.has(tensorNodeName(i))) {
        throw new Error(`graph node "${s.name}": input "${i}" is a constant where an activation is expected`);
      }
    }
  }
  for (const s of steps) normaliseRefs(s);
  for (const w of wanted) {
    if (!produced.has(w)) throw new Error(`${model.file}: output "${w}" is a constant, not a computed value`);
  }
  return {
    file: model.file,
    steps,
    inputs: steps.filter((s) => s.kind === 'input').map((s) => s.name),
    outputs: wanted,
    aliases,
  };
}

/** Rewrites "node:0" input references to plain node names (each op here has one output). */
function normaliseRefs(s: Step): void {
  const r = (ref: string): string => {
    const m = /:(\d+)$/.exec(ref);
    if (m && m[1] !== '0')
      throw new Error(
        `graph node "${s.name}": input "${ref}" reads output ${m[1]}; only single-output ops are supported`,
      );
    return tensorNodeName(ref);
  };
  if (s.kind === 'binary') {
    s.a = r(s.a);
    if (typeof s.b === 'string') s.b = r(s.b);
  } else if (s.kind === 'concat') s.inputs = s.inputs.map(r);
  else if (s.kind !== 'input') s.input = r(s.input);
}
