import { consumerCounts, type ConvOp, type GraphNode, type GraphSpec } from './spec.ts';

/**
 * Folds what the convolution kernel's epilogue can do into the convolution:
 *   conv → Activation          y = act(conv)              (conv linear, nothing folded yet)
 *   conv → scale(β)            y = β · act(conv)          (ESRGAN's MultiplyBeta)
 *   conv + other (Add)         y = β · act(conv) + other  (residual connections)
 * A conv is folded only into its sole reader. The fused node takes the reader's name and position, so
 * later nodes need no renaming and every input of the fused node is computed before it.
 */
export function fuseGraph(spec: GraphSpec): GraphSpec {
  const readers = consumerCounts(spec);
  const out: (GraphNode | undefined)[] = [];
  const index = new Map<string, number>();

  const foldableConv = (name: string): { node: GraphNode; op: ConvOp } | undefined => {
    const i = index.get(name);
    const node = i === undefined ? undefined : out[i];
    if (!node || node.op.kind !== 'conv2d' || readers.get(name) !== 1) return undefined;
    return { node, op: node.op };
  };
  const replace = (producer: GraphNode, fused: GraphNode) => {
    out[index.get(producer.name)!] = undefined;
    index.delete(producer.name);
    index.set(fused.name, out.length);
    out.push(fused);
  };

  for (const node of spec.nodes) {
    const { op } = node;
    if (op.kind === 'activation') {
      const p = foldableConv(node.inputs[0]);
      if (p && p.op.activation === 'linear' && p.op.beta === 1 && !p.op.residual) {
        replace(p.node, { ...p.node, name: node.name, op: { ...p.op, activation: op.activation } });
        continue;
      }
    } else if (op.kind === 'scale') {
      const p = foldableConv(node.inputs[0]);
      if (p && !p.op.residual) {
        replace(p.node, { ...p.node, name: node.name, op: { ...p.op, beta: p.op.beta * op.factor } });
        continue;
      }
    } else if (op.kind === 'add' && node.inputs.length === 2 && node.inputs[0] !== node.inputs[1]) {
      const k = [0, 1].find((j) => {
        const p = foldableConv(node.inputs[j]);
        return p && !p.op.residual;
      });
      if (k !== undefined) {
        const p = foldableConv(node.inputs[k])!;
        replace(p.node, {
          ...p.node,
          name: node.name,
          inputs: [p.node.inputs[0], node.inputs[1 - k]],
          op: { ...p.op, residual: true },
        });
        continue;
      }
    }
    index.set(node.name, out.length);
    out.push(node);
  }
  return { ...spec, nodes: out.filter((n): n is GraphNode => n !== undefined) };
}
