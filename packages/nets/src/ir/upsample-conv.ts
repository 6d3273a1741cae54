import { consumerCounts, type ConvOp, type GraphNode, type GraphSpec } from './spec.ts';

/**
 * LR offsets covered by HR taps -pad..pad of sub-pixel phase 0..s-1: floor((phase + d) / s).
 * Returns [lo, hi] over all phases.
 */
function lrOffsetRange(pad: number, s: number): [number, number] {
  return [Math.floor(-pad / s), Math.floor((s - 1 + pad) / s)];
}

/**
 * The weights of "nearest ×s upsampling, then a k×k 'same' convolution" as one convolution on the
 * low-resolution input with s²·cout outputs (TF depth_to_space DCR order: channel (py·s + px)·cout + co
 * is the output at sub-pixel (py, px)). Each phase's kernel sums the HR taps that land on the same LR
 * pixel. Zero padding agrees: an HR tap is outside the image exactly when its LR pixel is.
 */
export function phaseWeights(
  hwio: Float32Array,
  shape: readonly [number, number, number, number],
  s: number,
): { weights: Float32Array; shape: [number, number, number, number] } {
  const [k, , cin, cout] = shape;
  const pad = (k - 1) / 2;
  const [lo, hi] = lrOffsetRange(pad, s);
  const kl = hi - lo + 1;
  const couts = s * s * cout;
  const out = new Float32Array(kl * kl * cin * couts);
  for (let py = 0; py < s; py++)
    for (let px = 0; px < s; px++)
      for (let dy = -pad; dy <= pad; dy++)
        for (let dx = -pad; dx <= pad; dx++) {
          const oy = Math.floor((py + dy) / s) - lo;
          const ox = Math.floor((px + dx) / s) - lo;
          for (let ci = 0; ci < cin; ci++) {
            const src = (((dy + pad) * k + dx + pad) * cin + ci) * cout;
            const dst = ((oy * kl + ox) * cin + ci) * couts + (py * s + px) * cout;
            for (let co = 0; co < cout; co++) out[dst + co] += hwio[src + co];
          }
        }
  return { weights: out, shape: [kl, kl, cin, couts] };
}

function foldable(op: ConvOp, s: number): boolean {
  const [kh, kw] = op.weightShape;
  if (kh !== kw || kh % 2 === 0 || op.residual) return false;
  if (op.stride.some((v) => v !== 1) || op.dilation.some((v) => v !== 1)) return false;
  if (op.padding !== 'same' && !(kh === 1 && op.padding === 'valid')) return false;
  const [lo, hi] = lrOffsetRange((kh - 1) / 2, s);
  return -lo === hi; // symmetric, so the LR convolution is 'same' too
}

/**
 * Rewrites upsampleNearest(×s) → conv (its only reader) into conv on the LR input → depthToSpace(s).
 * The arithmetic is the same, but the s²-times larger upsampled tensor (192 channels at 8× in the
 * RDN models: 200 MB for a 64×64 input) and its padded copy are never made.
 */
export function foldUpsampleIntoConv(spec: GraphSpec): GraphSpec {
  const readers = consumerCounts(spec);
  const byName = new Map(spec.nodes.map((n) => [n.name, n]));
  const folded = new Set<string>();
  const nodes: GraphNode[] = [];
  for (const node of spec.nodes) {
    const up = byName.get(node.inputs[0]);
    if (
      node.op.kind === 'conv2d' &&
      up?.op.kind === 'upsampleNearest' &&
      readers.get(up.name) === 1 &&
      foldable(node.op, up.op.factor)
    ) {
      const s = up.op.factor;
      const { weights, shape } = phaseWeights(node.op.weights, node.op.weightShape, s);
      const bias = node.op.bias && new Float32Array(s * s * node.op.bias.length);
      for (let p = 0; bias && p < s * s; p++) bias.set(node.op.bias!, p * node.op.bias!.length);
      const phases = `${node.name}/phases`;
      nodes.push({
        ...node,
        name: phases,
        inputs: [up.inputs[0]],
        op: { ...node.op, weights, weightShape: shape, bias, padding: 'same' },
      });
      nodes.push({
        name: node.name,
        op: { kind: 'depthToSpace', block: s, mode: 'DCR' },
        inputs: [phases],
        origin: node.origin,
      });
      folded.add(up.name);
      continue;
    }
    nodes.push(node);
  }
  return { ...spec, nodes: nodes.filter((n) => !folded.has(n.name)) };
}
