import {
  Conv2d,
  ConvTranspose2d,
  KernelContext,
  Tensor,
  batchNorm,
  binary,
  concat,
  depthToSpace,
  globalMean,
  instanceNorm,
  pad,
  pool2d,
  reshape,
  resize,
  softmax,
  unary,
  upsampleNearest,
  type Shape4,
} from '@avatarme/kernels';
import { optimiseGraph } from './fuse.ts';
import { InputGradientTape, createBackwardLayer, type BackwardLayer } from './gradient.ts';
import { planInputGradient } from './gradient-plan.ts';
import { createLayer, withoutWeights, type NodeLayer } from './layers.ts';
import { planMemory, type MemoryPlan } from './plan.ts';
import { GraphError, graphFlops, poolPadding, resizedSize } from './shapes.ts';
import type { GraphNode, GraphSpec } from './spec.ts';

export interface GraphRunStats {
  inputShapes: Record<string, Shape4>;
  /** The liveness plan's peak of activations. */
  plannedPeakBytes: number;
  dispatches: number;
}

/**
 * The one executor of every network here: a GraphSpec on the GPU. Layers and constants are created
 * once; `run` records every node into the context's encoder in order and returns each intermediate
 * to the pool right after its last reader (planMemory), so later nodes reuse its buffer.
 */
export class Graph {
  private readonly layers = new Map<string, NodeLayer>();
  /** The adjoints' weights (created with `inputGradient: true`). */
  private readonly backwardLayers = new Map<string, BackwardLayer>();
  private disposed = false;
  /** The graph as it runs (after fusion), its weight arrays emptied once uploaded (withoutWeights). */
  readonly spec: GraphSpec;
  lastRun: GraphRunStats | undefined;

  private constructor(
    readonly ctx: KernelContext,
    spec: GraphSpec,
    /** Whether the adjoints' weights were uploaded, so that inputGradient can run. */
    readonly differentiable: boolean,
  ) {
    // Constant operands are written with queue.writeBuffer into pooled buffers: submit the recorded
    // work that may still read a reused one first.
    ctx.flush();
    try {
      for (const node of spec.nodes) {
        try {
          const layer = createLayer(ctx, node);
          if (layer) this.layers.set(node.name, layer);
          const back = differentiable ? createBackwardLayer(ctx, node) : undefined;
          if (back) this.backwardLayers.set(node.name, back);
        } catch (e) {
          throw e instanceof GraphError ? e : new GraphError(node, (e as Error).message);
        }
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.spec = { ...spec, nodes: spec.nodes.map(withoutWeights) };
  }

  /**
   * Rewrites the spec (optimiseGraph: identities, upsampling, fusion) unless told not to, and uploads
   * its weights. `inputGradient: true` also uploads what the adjoints need (a second copy of every
   * convolution's and matmul's weights, packed for the transposed access), so that
   * recordForInputGradient / inputGradient can run.
   */
  static create(
    ctx: KernelContext,
    spec: GraphSpec,
    opts: { fuse?: boolean; inputGradient?: boolean } = {},
  ): Graph {
    return new Graph(ctx, opts.fuse === false ? spec : optimiseGraph(spec), opts.inputGradient ?? false);
  }

  plan(inputShapes: Record<string, Shape4>): MemoryPlan {
    return planMemory(this.spec, inputShapes);
  }

  flops(inputShapes: Record<string, Shape4>): number {
    return graphFlops(this.spec, inputShapes);
  }

  /**
   * Records the whole network. Inputs stay the caller's; the returned output tensors are the caller's
   * to dispose.
   */
  run(inputs: Record<string, Tensor>): Record<string, Tensor> {
    return this.execute(inputs).outputs;
  }

  /** run(), with the plan it followed (the values' shapes and ranks). */
  execute(inputs: Record<string, Tensor>): { outputs: Record<string, Tensor>; plan: MemoryPlan } {
    const inputShapes = this.inputShapes(inputs);
    const plan = this.plan(inputShapes);
    const dispatches0 = this.ctx.dispatchCount;
    const values = this.forward(inputs, plan, plan.releaseAfter);
    this.lastRun = {
      inputShapes,
      plannedPeakBytes: plan.peakBytes,
      dispatches: this.ctx.dispatchCount - dispatches0,
    };
    const outputs = Object.fromEntries(this.spec.outputs.map((o) => [o, values.get(o)!]));
    return { outputs, plan };
  }

  /**
   * Records the forward pass and keeps what the adjoints will read (planInputGradient: activation
   * outputs, min/max and max-pool inputs, product factors), for a later tape.inputGradient(dy) with
   * respect to the graph inputs only (the weights are constants). `seeded`: the outputs that will be
   * given a gradient (default: all), so that branches leading only elsewhere keep nothing. The
   * tape's outputs are the caller's; tape.inputGradient or tape.dispose frees the kept values.
   */
  recordForInputGradient(
    inputs: Record<string, Tensor>,
    seeded: readonly string[] = this.spec.outputs,
  ): InputGradientTape {
    if (!this.differentiable)
      throw new GraphError(undefined, 'inputGradient: the graph was created without { inputGradient: true }');
    const inputShapes = this.inputShapes(inputs);
    const plan = planInputGradient(this.spec, inputShapes, seeded);
    const dispatches0 = this.ctx.dispatchCount;
    const values = this.forward(inputs, { shapes: plan.shapes }, plan.forwardRelease);
    const outputs: Record<string, Tensor> = {};
    for (const o of this.spec.outputs) {
      outputs[o] = values.get(o)!;
      values.delete(o);
    }
    for (const name of this.spec.inputs) values.delete(name);
    this.lastRun = {
      inputShapes,
      plannedPeakBytes: plan.peakBytes,
      dispatches: this.ctx.dispatchCount - dispatches0,
    };
    const source = {
      ctx: this.ctx,
      spec: this.spec,
      layer: (name: string) => this.layers.get(name),
      backwardLayer: (name: string) => this.backwardLayers.get(name),
    };
    return new InputGradientTape(source, plan, outputs, values, inputs);
  }

  /**
   * Forward and reverse in one call: the outputs and d(Σ_o ⟨outputGradients[o], o⟩)/d input for
   * every graph input. For a gradient that depends on the outputs (a loss), use
   * recordForInputGradient and read the outputs first.
   */
  inputGradient(
    inputs: Record<string, Tensor>,
    outputGradients: Record<string, Tensor>,
  ): { outputs: Record<string, Tensor>; inputGradients: Record<string, Tensor> } {
    const tape = this.recordForInputGradient(inputs, Object.keys(outputGradients));
    try {
      return { outputs: tape.outputs, inputGradients: tape.inputGradient(outputGradients) };
    } catch (e) {
      for (const t of Object.values(tape.outputs)) t.dispose();
      throw e;
    }
  }

  private inputShapes(inputs: Record<string, Tensor>): Record<string, Shape4> {
    if (this.disposed) throw new GraphError(undefined, 'graph was disposed');
    const inputShapes: Record<string, Shape4> = {};
    for (const name of this.spec.inputs) {
      const t = inputs[name];
      if (!t) throw new GraphError(undefined, `no tensor given for input "${name}"`);
      inputShapes[name] = t.shape;
    }
    return inputShapes;
  }

  /** Records every node in order, dropping release[i] after node i; returns the values still held. */
  private forward(
    inputs: Record<string, Tensor>,
    plan: Pick<MemoryPlan, 'shapes'>,
    release: string[][],
  ): Map<string, Tensor> {
    const values = new Map<string, Tensor>(this.spec.inputs.map((n) => [n, inputs[n]]));
    try {
      this.spec.nodes.forEach((node, i) => {
        if (node.op.kind !== 'input') {
          const args = node.inputs.map((v) => values.get(v)!);
          try {
            values.set(node.name, this.runNode(node, args, plan));
          } catch (e) {
            if (e instanceof GraphError) throw e;
            throw new GraphError(node, (e as Error).message);
          }
        }
        for (const v of release[i]) {
          values.get(v)?.dispose();
          values.delete(v);
        }
      });
    } catch (e) {
      for (const [name, t] of values) if (!this.spec.inputs.includes(name)) t.dispose();
      throw e;
    }
    return values;
  }

  private runNode(node: GraphNode, x: Tensor[], plan: Pick<MemoryPlan, 'shapes'>): Tensor {
    const { ctx } = this;
    const { op } = node;
    const layer = this.layers.get(node.name);
    switch (op.kind) {
      case 'conv2d':
        return (layer as Conv2d).run(x[0], { residual: op.residual ? x[1] : undefined });
      case 'convTranspose2d':
        return (layer as ConvTranspose2d).run(x[0]);
      case 'matmul':
        return (layer as Conv2d).run(x[0]);
      case 'activation':
        switch (op.activation) {
          case 'linear':
            return binary(ctx, 'mul', x[0], 1);
          case 'prelu':
            return unary(ctx, 'prelu', x[0], { slopes: op.slopes });
          case 'leakyRelu':
            return unary(ctx, 'leakyRelu', x[0], { alpha: op.alpha });
          case 'clamp':
            throw new GraphError(node, 'activation "clamp" is only supported right after a convolution');
          default:
            return unary(ctx, op.activation, x[0]);
        }
      case 'binary': {
        const b =
          op.constant === undefined ? x[1] : layer instanceof Tensor ? layer : (op.constant as number);
        return binary(ctx, op.op, x[0], b);
      }
      case 'add': {
        let acc = binary(ctx, 'add', x[0], x[1]);
        for (const t of x.slice(2)) {
          const next = binary(ctx, 'add', acc, t);
          acc.dispose();
          acc = next;
        }
        return acc;
      }
      case 'scale':
        return binary(ctx, 'mul', x[0], op.factor);
      case 'concat':
        return concat(ctx, x);
      case 'upsampleNearest':
        return upsampleNearest(ctx, x[0], op.factor);
      case 'depthToSpace':
        return depthToSpace(ctx, x[0], op.block, op.mode);
      case 'resize': {
        const [height, width] = resizedSize(op, x[0].h, x[0].w);
        const { kind: _, ...o } = op;
        return resize(ctx, x[0], { ...o, height, width, label: node.name });
      }
      case 'pool2d':
        return pool2d(ctx, x[0], {
          mode: op.mode,
          kernel: op.kernel,
          stride: op.stride,
          padding: op.ceilMode ? poolPadding(op, x[0].h, x[0].w) : op.padding,
          countIncludePad: op.countIncludePad,
        });
      case 'pad': {
        const [top, bottom, left, right] = op.pads;
        return pad(ctx, x[0], { top, bottom, left, right, mode: op.mode }, node.name);
      }
      case 'padChannels': {
        const [n, h, w] = x[0].shape;
        const zeros = Tensor.empty(ctx, [n, h, w, op.after], `${node.name}.zeros`);
        ctx.commandEncoder.clearBuffer(zeros.buffer);
        const y = concat(ctx, [x[0], zeros]);
        zeros.dispose();
        return y;
      }
      case 'reshape':
        return reshape(ctx, x[0], plan.shapes.get(node.name)!);
      case 'flatten':
      case 'identity':
        // Kept only where an output must be a copy of an input or of another output (dropIdentities).
        return reshape(ctx, x[0], x[0].shape);
      case 'mean':
        return globalMean(ctx, x[0]);
      case 'softmax':
        return softmax(ctx, x[0]);
      case 'instanceNorm':
        return instanceNorm(ctx, x[0], { eps: op.eps, activation: op.activation });
      case 'batchNorm':
        return batchNorm(ctx, x[0], op.params);
      case 'input':
        throw new GraphError(node, 'input nodes are not run');
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.layers.values()) l.dispose();
    this.layers.clear();
    for (const l of this.backwardLayers.values()) l.dispose();
    this.backwardLayers.clear();
  }
}
