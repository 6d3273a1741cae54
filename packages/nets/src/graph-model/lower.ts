import type { Activation, BinaryOp, Shape4 } from '@avatarme/kernels';
import { inferValues } from '../ir/shapes.ts';
import type { ConvOp, GraphNode, GraphOp, GraphSpec } from '../ir/spec.ts';
import type { ConstTensor } from '../tfjs/weights.ts';
import type { GraphModelArtifacts } from './load.ts';
import { Attrs, signatureOf, tensorNodeName, type NodeDef } from './model-json.ts';

/**
 * A TF.js graph model lowered to the network IR: one node per TF op that computes a value, in an
 * order where every node follows its inputs. Constants that are weights are folded into the node that
 * uses them (filters, biases, slopes, shapes, axes); only activations stay graph values.
 */
export interface GraphModelSpec extends GraphSpec {
  /** Where the model came from, for error messages. */
  file: string;
  /** Signature keys and "node:0" spellings → node names. */
  aliases: Map<string, string>;
}

/** What one TF op becomes: an IR op and the activations it reads (undefined: nothing to compute). */
type Lowered = { op: GraphOp; inputs: string[] } | undefined;

/** Lowers one TF node; `inputs` are its data inputs (control inputs dropped). */
type Lowerer = (node: NodeDef, a: Attrs, inputs: string[], c: Constants) => Lowered;

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

const FUSED_ACTIVATIONS: Record<string, Activation> = {
  Relu: 'relu',
  Relu6: 'relu6',
  Prelu: 'prelu',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  LeakyRelu: 'leakyRelu',
};

const BINARY: Record<string, BinaryOp> = {
  Add: 'add',
  AddV2: 'add',
  BiasAdd: 'add',
  Sub: 'sub',
  Mul: 'mul',
  RealDiv: 'div',
  Minimum: 'min',
  Maximum: 'max',
};
const COMMUTATIVE = new Set<BinaryOp>(['add', 'mul', 'min', 'max']);

const UNARY: Record<string, Activation> = { Relu: 'relu', Relu6: 'relu6', Sigmoid: 'sigmoid', Tanh: 'tanh' };

/** The model's constants, looked up through Identity nodes, as typed values for the lowerers. */
class Constants {
  constructor(
    private readonly model: GraphModelArtifacts,
    private readonly byName: Map<string, NodeDef>,
  ) {}

  /** The constant behind an input reference (through Identity nodes), or undefined for activations. */
  of(ref: string): ConstTensor | undefined {
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

  require(a: Attrs, ref: string, what: string): ConstTensor {
    const c = this.of(ref);
    if (!c) a.fail(`${what} (${ref}) must be a constant`);
    return c;
  }

  floats(a: Attrs, ref: string, what: string): Float32Array {
    const c = this.require(a, ref, what);
    if (c.dtype !== 'float32') a.fail(`${what} (${ref}) must be float32, got ${c.dtype}`);
    return c.data as Float32Array;
  }

  ints(a: Attrs, ref: string, what: string): number[] {
    const c = this.require(a, ref, what);
    if (c.dtype !== 'int32') a.fail(`${what} (${ref}) must be int32, got ${c.dtype}`);
    return [...c.data];
  }
}

const conv: Lowerer = (node, a, inputs, c) => {
  const fused = node.op === '_FusedConv2D';
  const depthwise = node.op === 'DepthwiseConv2dNative';
  const fusedOps = fused ? a.strings('fused_ops') : [];
  a.only([...CONV_ATTRS, ...(fused ? ['fused_ops', 'num_args', 'epsilon', 'leakyrelu_alpha'] : [])]);
  if (a.string('data_format', 'NHWC') !== 'NHWC')
    a.fail(`data_format ${a.string('data_format')} is not NHWC`);
  const s = a.ints('strides', [1, 1, 1, 1]);
  const d = a.ints('dilations', [1, 1, 1, 1]);
  if (s[0] !== 1 || s[3] !== 1) a.fail(`strides [${s}] over batch or channels are not supported`);
  if (d[0] !== 1 || d[3] !== 1) a.fail(`dilations [${d}] over batch or channels are not supported`);
  const filter = c.require(a, inputs[1], 'filter');
  if (filter.shape.length !== 4 || filter.dtype !== 'float32')
    a.fail(`filter ${inputs[1]} must be a float32 rank-4 tensor`);
  if (depthwise && filter.shape[3] !== 1)
    a.fail(`depthwise channel multiplier ${filter.shape[3]} is not supported (1 only)`);
  const mode = a.string('padding');
  let padding: ConvOp['padding'];
  if (mode === 'SAME') padding = 'same';
  else if (mode === 'VALID') padding = 'valid';
  else if (mode === 'EXPLICIT') {
    const p = a.ints('explicit_paddings');
    if (p.length !== 8 || p[0] || p[1] || p[6] || p[7])
      a.fail(`explicit_paddings [${p}] must pad H and W only`);
    padding = [p[2], p[3], p[4], p[5]];
  } else padding = a.fail(`padding ${mode} is not supported`);
  if (mode !== 'EXPLICIT' && a.ints('explicit_paddings', []).length > 0)
    a.fail('explicit_paddings given without padding EXPLICIT');
  const [kh, kw, cin, cout] = filter.shape;
  const op: ConvOp = {
    kind: 'conv2d',
    // A depthwise filter [kh, kw, cin, 1] is already in the order of grouped HWIO [kh, kw, 1, cin]
    // with one group per channel (the kernels' depthwiseToGroupedHWIO).
    weights: filter.data as Float32Array,
    weightShape: depthwise ? [kh, kw, 1, cin] : [kh, kw, cin, cout],
    groups: depthwise ? cin : undefined,
    padding,
    stride: [s[1], s[2]],
    dilation: [d[1], d[2]],
    activation: 'linear',
    beta: 1,
    residual: false,
  };
  if (fusedOps.length > 0) {
    if (fusedOps[0] !== 'BiasAdd')
      a.fail(`fused_ops [${fusedOps.join(', ')}]: only BiasAdd first is supported`);
    if (fusedOps.length > 2) a.fail(`fused_ops [${fusedOps.join(', ')}]: at most BiasAdd and one activation`);
    const numArgs = a.int('num_args');
    const want = fusedOps[1] === 'Prelu' ? 2 : 1;
    if (numArgs !== want || inputs.length !== 2 + want) {
      a.fail(
        `fused_ops [${fusedOps.join(', ')}] expects ${want} extra inputs, num_args is ${numArgs} with ${inputs.length} inputs`,
      );
    }
    op.bias = c.floats(a, inputs[2], 'bias');
    if (fusedOps[1]) {
      const act = FUSED_ACTIVATIONS[fusedOps[1]];
      if (!act) a.fail(`fused activation ${fusedOps[1]} is not supported`);
      op.activation = act;
      if (act === 'prelu') op.prelu = c.floats(a, inputs[3], 'prelu alpha');
      if (act === 'leakyRelu') op.leakySlope = a.float('leakyrelu_alpha', 0.2);
    }
  } else if (inputs.length !== 2) {
    a.fail(`expects 2 inputs, got ${inputs.length}`);
  }
  return { op, inputs: [inputs[0]] };
};

const matmul: Lowerer = (node, a, inputs, c) => {
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
  const w = c.require(a, inputs[1], 'weights');
  if (w.shape.length !== 2 || w.dtype !== 'float32') a.fail(`weights ${inputs[1]} must be a float32 matrix`);
  let [k, m] = w.shape;
  let weights = w.data as Float32Array;
  if (a.bool('transpose_b', false)) {
    [m, k] = w.shape;
    weights = transpose(weights, m, k);
  }
  const fusedOps = node.op === '_FusedMatMul' ? a.strings('fused_ops') : [];
  let bias: Float32Array | undefined;
  let activation: Activation = 'linear';
  if (fusedOps.length > 0) {
    if (fusedOps[0] !== 'BiasAdd' || fusedOps.length > 2 || a.int('num_args') !== 1) {
      a.fail(
        `fused_ops [${fusedOps.join(', ')}] with num_args ${a.int('num_args', 0)}: only BiasAdd(+Relu/Relu6/Sigmoid/Tanh) is supported`,
      );
    }
    bias = c.floats(a, inputs[2], 'bias');
    if (fusedOps[1]) {
      const act = FUSED_ACTIVATIONS[fusedOps[1]];
      if (!act || act === 'prelu' || act === 'leakyRelu')
        a.fail(`fused activation ${fusedOps[1]} is not supported`);
      activation = act;
    }
  }
  return { op: { kind: 'matmul', weights, weightShape: [k, m], bias, activation }, inputs: [inputs[0]] };
};

const binary: Lowerer = (node, a, inputs, c) => {
  a.only(NEUTRAL_ATTRS);
  if (inputs.length !== 2) a.fail(`expects 2 inputs, got ${inputs.length}`);
  if (node.op === 'BiasAdd' && a.string('data_format', 'NHWC') !== 'NHWC') a.fail('data_format must be NHWC');
  const kind = BINARY[node.op];
  let [x, y] = inputs;
  if (c.of(x) && !c.of(y)) {
    if (!COMMUTATIVE.has(kind)) a.fail(`a constant first operand of ${node.op} is not supported`);
    [x, y] = [y, x];
  }
  if (c.of(x)) a.fail('both operands are constants (fold them before conversion)');
  const k = c.of(y);
  if (!k) return { op: { kind: 'binary', op: kind }, inputs: [x, y] };
  if (k.dtype !== 'float32') a.fail(`constant operand ${y} must be float32, got ${k.dtype}`);
  // A vector over the last axis broadcasts like TF does only when all other dims are 1.
  if (k.shape.slice(0, -1).some((dim) => dim !== 1)) {
    a.fail(
      `constant operand ${y} of shape [${k.shape.join(', ')}] must be a scalar or a vector over the last axis`,
    );
  }
  const constant = k.data.length === 1 ? k.data[0] : (k.data as Float32Array);
  return { op: { kind: 'binary', op: kind, constant }, inputs: [x] };
};

const pad: Lowerer = (node, a, inputs, c) => {
  a.only([...NEUTRAL_ATTRS, 'Tpaddings']);
  if (node.op === 'PadV2' && c.floats(a, inputs[2], 'constant value')[0] !== 0)
    a.fail('only zero padding is supported');
  const p = c.ints(a, inputs[1], 'paddings');
  if (p.length !== 8) a.fail(`paddings [${p}] must be 4×2 (rank-4 input)`);
  if (p[0] || p[1]) a.fail(`padding the batch axis (paddings [${p}]) is not supported`);
  const spatial = p[2] || p[3] || p[4] || p[5];
  const channels = p[6] || p[7];
  if (spatial && channels)
    a.fail(`padding spatial axes and channels at once (paddings [${p}]) is not supported`);
  if (p[6]) a.fail(`padding channels in front (paddings [${p}]) is not supported`);
  const op: GraphOp = channels
    ? { kind: 'padChannels', after: p[7] }
    : { kind: 'pad', pads: [p[2], p[3], p[4], p[5]], mode: 'zero' };
  return { op, inputs: [inputs[0]] };
};

const identity: Lowerer = (_node, a, inputs) => {
  a.only(NEUTRAL_ATTRS);
  return { op: { kind: 'identity' }, inputs: [inputs[0]] };
};

/** The lowerer of every TF op this executor runs; any other op is an error naming the node. */
const LOWERERS: Record<string, Lowerer> = {
  Const: () => undefined,
  NoOp: (_node, a) => {
    a.only(NEUTRAL_ATTRS);
    return undefined;
  },
  Placeholder(node, a) {
    a.only([...NEUTRAL_ATTRS, 'dtype', 'shape']);
    if (a.type('dtype', 'DT_FLOAT') !== 'DT_FLOAT') a.fail(`input dtype ${a.type('dtype')} is not DT_FLOAT`);
    const dims = node.attr?.shape?.shape?.dim ?? [];
    return { op: { kind: 'input', shape: dims.map((d) => Number(d.size)) }, inputs: [] };
  },
  Conv2D: conv,
  _FusedConv2D: conv,
  DepthwiseConv2dNative: conv,
  MatMul: matmul,
  _FusedMatMul: matmul,
  ...Object.fromEntries(Object.keys(BINARY).map((op) => [op, binary])),
  ...Object.fromEntries(
    Object.entries(UNARY).map(([op, activation]): [string, Lowerer] => [
      op,
      (_node, a, inputs) => {
        a.only(NEUTRAL_ATTRS);
        return { op: { kind: 'activation', activation }, inputs: [inputs[0]] };
      },
    ]),
  ),
  Prelu(_node, a, inputs, c) {
    a.only(NEUTRAL_ATTRS);
    const slopes = c.floats(a, inputs[1], 'alpha');
    return { op: { kind: 'activation', activation: 'prelu', slopes }, inputs: [inputs[0]] };
  },
  MaxPool(_node, a, inputs) {
    a.only([...NEUTRAL_ATTRS, 'ksize', 'strides', 'padding', 'data_format', 'explicit_paddings']);
    if (a.string('data_format', 'NHWC') !== 'NHWC')
      a.fail(`data_format ${a.string('data_format')} is not NHWC`);
    const k = a.ints('ksize');
    const s = a.ints('strides');
    if (k[0] !== 1 || k[3] !== 1 || s[0] !== 1 || s[3] !== 1)
      a.fail(`pooling over batch or channels (ksize [${k}], strides [${s}]) is not supported`);
    const padding = a.string('padding');
    if (padding !== 'SAME' && padding !== 'VALID') a.fail(`padding ${padding} is not supported`);
    return {
      op: {
        kind: 'pool2d',
        mode: 'max',
        kernel: [k[1], k[2]],
        stride: [s[1], s[2]],
        padding: padding === 'SAME' ? 'same' : 'valid',
      },
      inputs: [inputs[0]],
    };
  },
  Pad: pad,
  PadV2: pad,
  Reshape(_node, a, inputs, c) {
    a.only([...NEUTRAL_ATTRS, 'Tshape']);
    const shape = c.ints(a, inputs[1], 'shape');
    if (shape.filter((d) => d === -1).length > 1) a.fail(`shape [${shape}] has more than one -1`);
    if (shape.length > 4) a.fail(`shape [${shape}] has rank above 4`);
    return { op: { kind: 'reshape', shape }, inputs: [inputs[0]] };
  },
  ConcatV2(_node, a, inputs, c) {
    a.only([...NEUTRAL_ATTRS, 'N', 'Tidx']);
    const parts = inputs.slice(0, -1);
    const axis = c.ints(a, inputs[inputs.length - 1], 'axis')[0];
    for (const p of parts) if (c.of(p)) a.fail(`constant input ${p} is not supported`);
    // Only the last axis is supported; shape inference checks the axis against the inputs' rank.
    return { op: { kind: 'concat', axis }, inputs: parts };
  },
  Mean(_node, a, inputs, c) {
    a.only([...NEUTRAL_ATTRS, 'Tidx', 'keep_dims']);
    const axes = c.ints(a, inputs[1], 'reduction_indices').sort();
    if (axes.join(',') !== '1,2') a.fail(`mean over axes [${axes}] is not supported (spatial [1, 2] only)`);
    return { op: { kind: 'mean', keepDims: a.bool('keep_dims', false) }, inputs: [inputs[0]] };
  },
  Softmax(_node, a, inputs) {
    a.only(NEUTRAL_ATTRS);
    return { op: { kind: 'softmax' }, inputs: [inputs[0]] };
  },
  Identity: identity,
  StopGradient: identity,
};

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

/** "node:0" → "node"; reading another output of a multi-output op is an error naming the reader. */
function valueName(reader: string, ref: string): string {
  const m = /:(\d+)$/.exec(ref);
  if (m && m[1] !== '0')
    throw new Error(
      `graph node "${reader}": input "${ref}" reads output ${m[1]}; only single-output ops are supported`,
    );
  return tensorNodeName(ref);
}

/**
 * Two-value adds whose operands have one shape become `add`, which fusion can fold into a
 * convolution as its residual; the model's declared input shape decides (a free batch taken as 1).
 * Where it is not declared, or a shape does not work out, every add stays a broadcasting binary.
 */
function sameShapeAdds(spec: GraphSpec): GraphSpec {
  const shapes: Record<string, Shape4> = {};
  for (const n of spec.nodes) {
    if (n.op.kind !== 'input') continue;
    const s = n.op.shape ?? [];
    if (s.length !== 4 || s.slice(1).some((d) => d < 1)) return spec;
    shapes[n.name] = [Math.max(s[0], 1), s[1], s[2], s[3]];
  }
  let values: ReturnType<typeof inferValues>;
  try {
    values = inferValues(spec, shapes);
  } catch {
    return spec;
  }
  const key = (v: string) => {
    const i = values.get(v)!;
    return `${i.rank}:${i.shape.join(',')}`;
  };
  const nodes = spec.nodes.map((n): GraphNode => {
    const { op } = n;
    const tensors = op.kind === 'binary' && op.op === 'add' && op.constant === undefined;
    return tensors && key(n.inputs[0]) === key(n.inputs[1]) ? { ...n, op: { kind: 'add' } } : n;
  });
  return { ...spec, nodes };
}

/**
 * Lowers a graph model to the IR, keeping only what the requested outputs need (default: the
 * signature's outputs, else the nodes nothing consumes). Throws naming the node for any op or
 * attribute the kernels cannot run exactly.
 */
export function lowerGraphModel(model: GraphModelArtifacts, outputs?: string[]): GraphModelSpec {
  const defs = model.json.modelTopology.node;
  const byName = new Map(defs.map((n) => [n.name, n]));
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
    const consumed = new Set(defs.flatMap((n) => (n.input ?? []).map(tensorNodeName)));
    wanted = defs.filter((n) => n.op !== 'Const' && !consumed.has(n.name)).map((n) => n.name);
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
    for (const i of node.input ?? []) if (!i.startsWith('^')) visit(tensorNodeName(i));
    state.set(name, 'done');
    order.push(node);
  };
  for (const w of wanted) visit(w);

  const constants = new Constants(model, byName);
  const nodes: GraphNode[] = [];
  for (const def of order) {
    const a = new Attrs(def);
    const lowerer = LOWERERS[def.op];
    if (!lowerer) a.fail('op is not supported by this executor');
    const inputs = (def.input ?? []).filter((i) => !i.startsWith('^'));
    const lowered = lowerer(def, a, inputs, constants);
    if (lowered)
      nodes.push({
        name: def.name,
        ...lowered,
        origin: `${model.file}: graph node "${def.name}" (${def.op})`,
      });
  }
  const produced = new Set(nodes.map((n) => n.name));
  for (const n of nodes) {
    for (const i of n.inputs) {
      if (!produced.has(tensorNodeName(i)))
        throw new Error(`graph node "${n.name}": input "${i}" is a constant where an activation is expected`);
    }
    n.inputs = n.inputs.map((i) => valueName(n.name, i));
  }
  for (const w of wanted) {
    if (!produced.has(w)) throw new Error(`${model.file}: output "${w}" is a constant, not a computed value`);
  }
  const spec = sameShapeAdds({
    nodes,
    inputs: nodes.filter((n) => n.op.kind === 'input').map((n) => n.name),
    outputs: wanted,
  });
  return { ...spec, file: model.file, aliases };
}
