import {
  Conv2d,
  KernelContext,
  Tensor,
  binary,
  concat,
  unary,
  upsampleNearest,
  type Shape4,
} from '@avatarme/kernels';
import { depthToSpace } from '@avatarme/kernels/pixel-shuffle/pixel-shuffle.ts';
import { fuseGraph } from './fuse.ts';
import { foldUpsampleIntoConv } from './upsample-conv.ts';
import { planMemory, type MemoryPlan } from './plan.ts';
import { GraphError } from './shapes.ts';
import type { GraphNode, GraphSpec } from './spec.ts';

export interface GraphRunStats {
  /** Most GPU bytes the context's buffer pool held during the run (activations, pads, pooled). */
  peakPoolBytes: number;
  /** The liveness plan's peak of activations alone. */
  plannedPeakBytes: number;
  dispatches: number;
}

/**
 * A network on the GPU: layers with weights created once, then `run` records every node into the
 * context's encoder and submits once. Each intermediate goes back to the pool right after its last
 * reader, so later nodes reuse its buffer.
 */
export class Graph {
  private convs = new Map<string, Conv2d>();
  private disposed = false;
  lastRun: GraphRunStats | undefined;

  private constructor(
    readonly ctx: KernelContext,
    readonly spec: GraphSpec,
  ) {
    for (const node of spec.nodes) {
      if (node.op.kind !== 'conv2d') continue;
      const op = node.op;
      this.convs.set(
        node.name,
        Conv2d.create(ctx, op.weights, op.weightShape, {
          bias: op.bias,
          padding: op.padding,
          stride: op.stride,
          dilation: op.dilation,
          activation: op.activation,
          beta: op.beta,
          // No per-layer label: Conv2d keys its pipelines on the label, and 154 layers sharing a
          // handful of specialisations compile a handful of pipelines instead of 154.
        }),
      );
    }
  }

  /** Rewrites the spec (foldUpsampleIntoConv, fuseGraph) unless told not to, and uploads its weights. */
  static create(ctx: KernelContext, spec: GraphSpec, opts: { fuse?: boolean } = {}): Graph {
    return new Graph(ctx, opts.fuse === false ? spec : fuseGraph(foldUpsampleIntoConv(spec)));
  }

  plan(inputShapes: Record<string, Shape4>): MemoryPlan {
    return planMemory(this.spec, inputShapes);
  }

  /**
   * Runs the whole network in one submission. Inputs stay the caller's; the returned output tensors
   * are the caller's to dispose.
   */
  run(inputs: Record<string, Tensor>): Record<string, Tensor> {
    if (this.disposed) throw new GraphError(undefined, 'graph was disposed');
    const shapes: Record<string, Shape4> = {};
    for (const name of this.spec.inputs) {
      const t = inputs[name];
      if (!t) throw new GraphError(undefined, `no tensor given for input "${name}"`);
      shapes[name] = t.shape;
    }
    const plan = this.plan(shapes);
    const { ctx } = this;
    const values = new Map<string, Tensor>(Object.entries(inputs));
    ctx.flush();
    ctx.pool.resetPeak();
    const dispatches0 = ctx.dispatchCount;
    try {
      this.spec.nodes.forEach((node, i) => {
        if (node.op.kind !== 'input') {
          const args = node.inputs.map((v) => values.get(v)!);
          try {
            values.set(node.name, this.runNode(node, args));
          } catch (e) {
            if (e instanceof GraphError) throw e;
            throw new GraphError(node, (e as Error).message);
          }
        }
        for (const v of plan.releaseAfter[i]) {
          values.get(v)?.dispose();
          values.delete(v);
        }
      });
    } catch (e) {
      for (const [name, t] of values) if (!(name in inputs)) t.dispose();
      throw e;
    }
    ctx.flush();
    this.lastRun = {
      peakPoolBytes: ctx.pool.stats().peakBytes,
      plannedPeakBytes: plan.peakBytes,
      dispatches: ctx.dispatchCount - dispatches0,
    };
    return Object.fromEntries(this.spec.outputs.map((o) => [o, values.get(o)!]));
  }

  private runNode(node: GraphNode, x: Tensor[]): Tensor {
    const { ctx } = this;
    const op = node.op;
    switch (op.kind) {
      case 'conv2d':
        return this.convs.get(node.name)!.run(x[0], { residual: op.residual ? x[1] : undefined });
      case 'concat':
        return concat(ctx, x);
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
      case 'activation':
        // Unfused only when the producer is not a convolution or has other readers.
        if (op.activation === 'linear') return binary(ctx, 'mul', x[0], 1);
        if (
          op.activation === 'relu' ||
          op.activation === 'relu6' ||
          op.activation === 'sigmoid' ||
          op.activation === 'tanh'
        )
          return unary(ctx, op.activation, x[0]);
        throw new GraphError(
          node,
          `activation "${op.activation}" is only supported right after a convolution`,
        );
      case 'upsampleNearest':
        return upsampleNearest(ctx, x[0], op.factor);
      case 'depthToSpace':
        return depthToSpace(ctx, x[0], op.block, op.mode);
      case 'input':
        throw new GraphError(node, 'input nodes are not run');
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.convs.values()) c.dispose();
    this.convs.clear();
  }
}
