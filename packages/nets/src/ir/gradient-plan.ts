import type { Shape4 } from '@avatarme/kernels';
import { GraphError, inferValues, tensorBytes } from './shapes.ts';
import type { GraphNode, GraphSpec } from './spec.ts';

/**
 * The forward values a node's adjoint reads, or a GraphError when the node has no adjoint here. Only
 * what the derivative needs is kept: an activation's output (its derivative follows from it, see
 * activationBackward), a min/max's or a max pool's input (which tap won), both factors of a product;
 * linear nodes (convolutions without activation, sums, constant scales, averages, reshapes) keep
 * nothing.
 */
export function adjointNeeds(node: GraphNode): string[] {
  const { op } = node;
  const fail = (why: string): never => {
    throw new GraphError(node, `no input gradient: ${why}`);
  };
  switch (op.kind) {
    case 'input':
      return [];
    case 'conv2d':
      if ((op.padMode ?? 'zero') !== 'zero') fail(`${op.padMode} padding is not supported (zero only)`);
      if (op.activation === 'linear') return [];
      return op.residual ? [node.name, node.inputs[1]] : [node.name];
    case 'matmul':
      return op.activation === 'linear' ? [] : [node.name];
    case 'activation':
      if (op.activation === 'clamp') fail('a lone clamp activation does not run');
      return op.activation === 'linear' ? [] : [node.name];
    case 'binary':
      if (op.constant !== undefined) {
        if (op.op === 'min' || op.op === 'max') return [node.inputs[0]];
        return [];
      }
      if (op.op === 'div') fail('division of two values is not supported');
      if (op.op === 'add' || op.op === 'sub') return [];
      return [node.inputs[0], node.inputs[1]];
    case 'pool2d':
      if (op.ceilMode) fail('ceil-mode pooling has no adjoint here');
      return op.mode === 'max' ? [node.inputs[0]] : [];
    case 'pad':
      if (op.mode !== 'zero') fail(`${op.mode} padding is not supported (zero only)`);
      return [];
    case 'add':
    case 'scale':
    case 'concat':
    case 'padChannels':
    case 'reshape':
    case 'flatten':
    case 'identity':
    case 'mean':
    case 'batchNorm':
      return [];
    case 'convTranspose2d':
    case 'upsampleNearest':
    case 'resize':
    case 'depthToSpace':
    case 'softmax':
    case 'instanceNorm':
      return fail(`op "${op.kind}" has no adjoint here`);
  }
}

export interface InputGradientPlan {
  /** Nodes whose adjoint runs: reached from an input and leading to a seeded output. */
  active: boolean[];
  /** Values that depend on a graph input (the inputs included): only these receive gradients. */
  fromInput: Set<string>;
  /** Values the backward pass reads, each released after the last adjoint that reads it. */
  saved: Set<string>;
  /** forwardRelease[i]: values dropped after forward node i (the inference plan, minus the saved). */
  forwardRelease: string[][];
  /** backwardRelease[i]: saved values dropped once node i's adjoint has run (graph inputs/outputs never). */
  backwardRelease: string[][];
  /** Bytes of the saved values that inference would have released: the price of the tape. */
  savedBytes: number;
  /** Worst moment of forward + backward: live activations, saved values and gradients. */
  peakBytes: number;
  shapes: Map<string, Shape4>;
  ranks: Map<string, number>;
}

/**
 * What running a graph for its input gradient costs and when each buffer can go: which nodes need
 * an adjoint (on a path from a graph input to an output that gets a gradient), which forward values
 * their adjoints read (adjointNeeds), and a liveness schedule for both passes. A gradient lives from
 * the adjoint of its value's last reader to the adjoint of its producer.
 */
export function planInputGradient(
  spec: GraphSpec,
  inputShapes: Record<string, Shape4>,
  seeded: readonly string[] = spec.outputs,
): InputGradientPlan {
  const values = inferValues(spec, inputShapes);
  const shapes = new Map([...values].map(([k, v]) => [k, v.shape]));
  const ranks = new Map([...values].map(([k, v]) => [k, v.rank]));
  const bytes = (v: string) => tensorBytes(shapes.get(v)!);
  const n = spec.nodes.length;
  const fromInput = new Set(spec.inputs);
  for (const node of spec.nodes) if (node.inputs.some((v) => fromInput.has(v))) fromInput.add(node.name);
  const toOutput = new Set(seeded);
  for (let i = n - 1; i >= 0; i--) {
    const node = spec.nodes[i];
    if (toOutput.has(node.name)) for (const v of node.inputs) toOutput.add(v);
  }
  const active = spec.nodes.map(
    (node) => node.op.kind !== 'input' && fromInput.has(node.name) && toOutput.has(node.name),
  );

  const pinned = new Set([...spec.inputs, ...spec.outputs]);
  const saved = new Set<string>();
  const lastBackward = new Map<string, number>(); // smallest index of an adjoint reading it
  spec.nodes.forEach((node, i) => {
    if (!active[i]) return;
    for (const v of adjointNeeds(node)) {
      saved.add(v);
      lastBackward.set(v, Math.min(lastBackward.get(v) ?? i, i));
    }
  });
  const lastForward = new Map<string, number>();
  spec.nodes.forEach((node, i) => {
    for (const v of node.inputs) lastForward.set(v, i);
  });
  const forwardRelease: string[][] = spec.nodes.map(() => []);
  const backwardRelease: string[][] = spec.nodes.map(() => []);
  for (const node of spec.nodes) {
    const v = node.name;
    if (pinned.has(v)) continue;
    if (saved.has(v)) backwardRelease[lastBackward.get(v)!].push(v);
    else forwardRelease[lastForward.get(v) ?? spec.nodes.indexOf(node)].push(v);
  }

  // Forward: as inference, except that saved values stay.
  let live = 0;
  let peakBytes = 0;
  spec.nodes.forEach((node, i) => {
    if (node.op.kind !== 'input') live += bytes(node.name);
    peakBytes = Math.max(peakBytes, live);
    for (const v of forwardRelease[i]) live -= bytes(v);
  });
  let savedBytes = 0;
  for (const v of saved) if (!pinned.has(v)) savedBytes += bytes(v);

  // Backward: the gradient of a value appears at its last active reader's adjoint and goes after
  // its producer's adjoint; the adjoint's own temporaries (activation derivative) count once.
  const gradFrom = new Map<string, number>();
  for (let i = n - 1; i >= 0; i--) {
    if (!active[i]) continue;
    for (const v of spec.nodes[i].inputs) if (fromInput.has(v) && !gradFrom.has(v)) gradFrom.set(v, i);
  }
  for (const o of seeded) live += bytes(o);
  for (let i = n - 1; i >= 0; i--) {
    if (!active[i]) continue;
    const node = spec.nodes[i];
    for (const v of new Set(node.inputs)) if (gradFrom.get(v) === i) live += bytes(v);
    const temp = adjointNeeds(node).length > 0 ? bytes(node.name) : 0;
    peakBytes = Math.max(peakBytes, live + temp);
    live -= bytes(node.name); // its gradient is consumed
    for (const v of backwardRelease[i]) live -= bytes(v);
  }
  return { active, fromInput, saved, forwardRelease, backwardRelease, savedBytes, peakBytes, shapes, ranks };
}
