// Relative, not '@avatarme/kernels/…': Node-side tools (tsx) resolve workspace packages through their
// exports map, which has no subpaths, and must not load the GPU half of @avatarme/kernels.
import { convOutputSize, resolvePadding } from '@avatarme/kernels/conv/geometry.ts';
import type { Shape4 } from '@avatarme/kernels';
import type { GraphNode, GraphSpec } from './spec.ts';

export class GraphError extends Error {
  constructor(node: GraphNode | undefined, message: string) {
    super(node ? `${node.origin ?? `node ${node.name}`}: ${message}` : message);
    this.name = 'GraphError';
  }
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** The output shape of one node from its input shapes; throws naming the node when they do not fit. */
export function nodeOutputShape(node: GraphNode, inputs: Shape4[]): Shape4 {
  const { op } = node;
  const [x] = inputs;
  switch (op.kind) {
    case 'input':
      throw new GraphError(node, 'input nodes have no inputs');
    case 'conv2d': {
      const [kh, kw, cin, cout] = op.weightShape;
      if (x[3] !== cin)
        throw new GraphError(
          node,
          `input ${fmt(x)} has ${x[3]} channels, kernel ${fmt(op.weightShape)} expects ${cin}`,
        );
      const g = {
        kh,
        kw,
        strideY: op.stride[0],
        strideX: op.stride[1],
        dilationY: op.dilation[0],
        dilationX: op.dilation[1],
      };
      const pads = resolvePadding(op.padding, x[1], x[2], g);
      const [oh, ow] = convOutputSize(node.name, x[1], x[2], pads, g);
      const out: Shape4 = [x[0], oh, ow, cout];
      if (op.residual && fmt(inputs[1]) !== fmt(out))
        throw new GraphError(node, `residual ${fmt(inputs[1])} does not match output ${fmt(out)}`);
      return out;
    }
    case 'activation':
    case 'scale':
      return [...x];
    case 'add':
      for (const s of inputs)
        if (fmt(s) !== fmt(x)) throw new GraphError(node, `cannot add ${fmt(x)} and ${fmt(s)}`);
      return [...x];
    case 'concat':
      for (const s of inputs)
        if (s[0] !== x[0] || s[1] !== x[1] || s[2] !== x[2])
          throw new GraphError(node, `cannot concatenate ${inputs.map(fmt).join(', ')} along channels`);
      return [x[0], x[1], x[2], inputs.reduce((c, s) => c + s[3], 0)];
    case 'upsampleNearest':
      return [x[0], x[1] * op.factor, x[2] * op.factor, x[3]];
    case 'depthToSpace': {
      const b2 = op.block * op.block;
      if (x[3] % b2 !== 0)
        throw new GraphError(
          node,
          `depthToSpace block ${op.block}: ${x[3]} channels are not a multiple of ${b2}`,
        );
      return [x[0], x[1] * op.block, x[2] * op.block, x[3] / b2];
    }
  }
}

/** Every value's shape for the given input shapes. */
export function inferShapes(spec: GraphSpec, inputShapes: Record<string, Shape4>): Map<string, Shape4> {
  const shapes = new Map<string, Shape4>();
  for (const node of spec.nodes) {
    if (node.op.kind === 'input') {
      const s = inputShapes[node.name];
      if (!s) throw new GraphError(node, `no shape given for input "${node.name}"`);
      if (s[3] !== node.op.channels)
        throw new GraphError(node, `input ${fmt(s)} must have ${node.op.channels} channels`);
      shapes.set(node.name, [...s]);
      continue;
    }
    const ins = node.inputs.map((i) => {
      const s = shapes.get(i);
      if (!s) throw new GraphError(node, `reads "${i}", which is not computed before it`);
      return s;
    });
    shapes.set(node.name, nodeOutputShape(node, ins));
  }
  return shapes;
}

/** Bytes of a tensor on the GPU: channels padded to vec4 groups (Tensor.byteLengthOf, without the GPU import). */
export const tensorBytes = (s: Shape4) => s[0] * s[1] * s[2] * Math.ceil(s[3] / 4) * 16;

/** Floating-point operations of one run (a multiply-add counts 2): the convolutions' arithmetic. */
export function graphFlops(spec: GraphSpec, inputShapes: Record<string, Shape4>): number {
  const shapes = inferShapes(spec, inputShapes);
  let flops = 0;
  for (const node of spec.nodes) {
    if (node.op.kind !== 'conv2d') continue;
    const [n, h, w] = shapes.get(node.name)!;
    const [kh, kw, cin, cout] = node.op.weightShape;
    flops += 2 * n * h * w * kh * kw * cin * cout;
  }
  return flops;
}
