import type { Activation, Padding } from '@avatarme/kernels';

/**
 * A network as data: nodes in topological order, each naming the values it reads. Importers
 * (layers-model, later graph-model and safetensors) produce this; the fusion and planning passes
 * rewrite and analyse it without a GPU; `Graph` turns it into kernel calls.
 */
export type GraphOp =
  | { kind: 'input'; channels: number }
  | {
      kind: 'conv2d';
      /** HWIO [kh, kw, cin, cout]. */
      weights: Float32Array;
      weightShape: [number, number, number, number];
      bias?: Float32Array;
      padding: Padding;
      stride: [number, number];
      dilation: [number, number];
      activation: Activation;
      /** y = beta · act(conv + bias) (+ residual, the node's second input, when `residual` is set). */
      beta: number;
      residual: boolean;
    }
  | { kind: 'activation'; activation: Activation }
  | { kind: 'concat' }
  | { kind: 'add' }
  | { kind: 'scale'; factor: number }
  | { kind: 'upsampleNearest'; factor: number }
  | { kind: 'depthToSpace'; block: number; mode: 'DCR' | 'CRD' };

export type OpKind = GraphOp['kind'];

export interface GraphNode {
  name: string;
  op: GraphOp;
  inputs: string[];
  /** Where the node came from (layer and file), for error messages. */
  origin?: string;
}

export interface GraphSpec {
  nodes: GraphNode[];
  inputs: string[];
  outputs: string[];
}

export type ConvOp = Extract<GraphOp, { kind: 'conv2d' }>;

/** How many nodes read each value (graph outputs count as one extra reader). */
export function consumerCounts(spec: GraphSpec): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of spec.nodes) for (const i of node.inputs) counts.set(i, (counts.get(i) ?? 0) + 1);
  for (const o of spec.outputs) counts.set(o, (counts.get(o) ?? 0) + 1);
  return counts;
}
