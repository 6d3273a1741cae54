import { consumerCounts, type ConvOp, type GraphNode, type GraphOp, type GraphSpec } from './spec.ts';
import { foldUpsampleIntoConv } from './upsample-conv.ts';

/** The node producing a value, when the node being fused is that value's only reader. */
type SoleProducer = (value: string) => GraphNode | undefined;

/**
 * A fusion: the producer that disappears into the reader, and the fused node's op, inputs (default:
 * the producer's) and origin (default: the producer's); it runs under the reader's name.
 */
type Fusion = { producer: GraphNode; op: GraphOp; inputs?: string[]; origin?: string };

/** A convolution whose epilogue is still free: no activation, scale, residual or norm folded in yet. */
function plainConv(n: GraphNode | undefined) {
  const op = n?.op;
  if (op?.kind === 'conv2d' && op.activation === 'linear' && op.beta === 1 && !op.residual) return op;
  if (op?.kind === 'convTranspose2d' && op.activation === 'linear') return op;
  return undefined;
}

const zeroPadding = (op: ConvOp) =>
  (op.padMode ?? 'zero') === 'zero' &&
  (op.padding === 'valid' ||
    op.padding === 0 ||
    (Array.isArray(op.padding) && op.padding.every((p) => p === 0)));

/**
 * What the reader of a value can absorb from its producer, by the reader's op. Each rule keeps the
 * operations the same: the convolution kernel pads (zero or reflect) and ends with
 * y = beta · act(conv + bias) (+ residual); a batch norm folded into its weights at upload changes
 * only the rounding.
 */
const RULES: Partial<Record<GraphOp['kind'], (node: GraphNode, sole: SoleProducer) => Fusion | undefined>> = {
  // ReflectionPad2d / TF Pad → convolution without padding of its own.
  conv2d(node, sole) {
    const op = node.op as ConvOp;
    const p = sole(node.inputs[0]);
    if (p?.op.kind !== 'pad' || !zeroPadding(op)) return undefined;
    return {
      producer: p,
      op: { ...op, padding: p.op.pads, padMode: p.op.mode },
      inputs: [p.inputs[0], ...node.inputs.slice(1)],
      origin: node.origin,
    };
  },
  batchNorm(node, sole) {
    if (node.op.kind !== 'batchNorm') return undefined;
    const p = sole(node.inputs[0]);
    const conv = plainConv(p);
    if (!conv || conv.batchNorm) return undefined;
    return { producer: p!, op: { ...conv, batchNorm: node.op.params } };
  },
  activation(node, sole) {
    if (node.op.kind !== 'activation') return undefined;
    const { activation, slopes, alpha } = node.op;
    const p = sole(node.inputs[0]);
    const conv = plainConv(p);
    if (conv) {
      const params = { ...(slopes && { prelu: slopes }), ...(alpha !== undefined && { leakySlope: alpha }) };
      return { producer: p!, op: { ...conv, activation, ...params } };
    }
    const norm = p?.op;
    if (
      norm?.kind === 'instanceNorm' &&
      norm.activation === 'linear' &&
      (activation === 'relu' || activation === 'linear')
    )
      return { producer: p!, op: { ...norm, activation } };
    return undefined;
  },
  // ESRGAN's MultiplyBeta: y = β · act(conv).
  scale(node, sole) {
    if (node.op.kind !== 'scale') return undefined;
    const p = sole(node.inputs[0]);
    if (p?.op.kind !== 'conv2d' || p.op.residual) return undefined;
    return { producer: p, op: { ...p.op, beta: p.op.beta * node.op.factor } };
  },
  // Residual connections: y = β · act(conv) + other.
  add(node, sole) {
    if (node.inputs.length !== 2 || node.inputs[0] === node.inputs[1]) return undefined;
    for (const k of [0, 1]) {
      const p = sole(node.inputs[k]);
      if (p?.op.kind === 'conv2d' && !p.op.residual)
        return { producer: p, op: { ...p.op, residual: true }, inputs: [p.inputs[0], node.inputs[1 - k]] };
    }
    return undefined;
  },
};

/**
 * Folds into each node what its producer's kernel can do instead (RULES): padding, batch norm,
 * activation, scale and residual add into the convolution before them, ReLU into instance norm. A
 * producer is folded only into its sole reader. The fused node takes the reader's name and position,
 * so later nodes need no renaming and every input of the fused node is computed before it.
 */
export function fuseGraph(spec: GraphSpec): GraphSpec {
  const readers = consumerCounts(spec);
  const out: (GraphNode | undefined)[] = [];
  const index = new Map<string, number>();
  const sole: SoleProducer = (name) => {
    const i = index.get(name);
    return i === undefined || readers.get(name) !== 1 ? undefined : out[i];
  };
  for (const node of spec.nodes) {
    const f = RULES[node.op.kind]?.(node, sole);
    if (f) {
      out[index.get(f.producer.name)!] = undefined;
      index.delete(f.producer.name);
      index.set(node.name, out.length);
      const { inputs = f.producer.inputs, origin = f.producer.origin } = f;
      out.push({ name: node.name, op: f.op, inputs, ...(origin !== undefined && { origin }) });
      continue;
    }
    index.set(node.name, out.length);
    out.push(node);
  }
  return { ...spec, nodes: out.filter((n): n is GraphNode => n !== undefined) };
}

/**
 * Removes identity nodes: readers read the source instead, and an identity that is a graph output
 * gives its name to its source. An identity stays (as a copy) only where its source is a graph input
 * or already another output.
 */
export function dropIdentities(spec: GraphSpec): GraphSpec {
  const alias = new Map<string, string>();
  const renamed = new Map<string, string>();
  const source = (v: string): string => (alias.has(v) ? source(alias.get(v)!) : v);
  const outputs = new Set(spec.outputs);
  const pinned = new Set([...spec.inputs, ...spec.outputs]);
  const dropped = new Set<string>();
  for (const node of spec.nodes) {
    if (node.op.kind !== 'identity') continue;
    const src = source(node.inputs[0]);
    if (outputs.has(node.name)) {
      if (pinned.has(src) || renamed.has(src)) continue;
      renamed.set(src, node.name);
    }
    alias.set(node.name, src);
    dropped.add(node.name);
  }
  if (dropped.size === 0) return spec;
  const name = (v: string) => {
    const s = source(v);
    return renamed.get(s) ?? s;
  };
  const nodes = spec.nodes
    .filter((n) => !dropped.has(n.name))
    .map((n) => ({ ...n, name: renamed.get(n.name) ?? n.name, inputs: n.inputs.map(name) }));
  return { ...spec, nodes };
}

/** Every rewrite the executor applies before it uploads a spec: identities, upsampling, fusion. */
export function optimiseGraph(spec: GraphSpec): GraphSpec {
  return fuseGraph(foldUpsampleIntoConv(dropIdentities(spec)));
}
