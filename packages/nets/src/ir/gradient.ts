import {
  Conv2dBackwardData,
  KernelContext,
  Tensor,
  activationBackward,
  binary,
  globalMeanBackward,
  minMaxBackward,
  pool2dBackward,
  reshape,
  slice,
  type ActivationGradOp,
  type Shape4,
} from '@avatarme/kernels';
import { convConstants } from './layers.ts';
import { adjointNeeds, type InputGradientPlan } from './gradient-plan.ts';
import { GraphError } from './shapes.ts';
import type { GraphNode, GraphSpec } from './spec.ts';

/** What a node's adjoint owns on the GPU: the weights of its input gradient, or a per-channel factor. */
export type BackwardLayer = Conv2dBackwardData | Tensor;

/**
 * The adjoint's constants of one node, made while the weights are still in the spec: a convolution's
 * or matmul's weights (batch norm folded as in the forward layer) for Conv2dBackwardData; the
 * per-channel factor of a standalone batch norm or of a division by constants.
 */
export function createBackwardLayer(ctx: KernelContext, node: GraphNode): BackwardLayer | undefined {
  const { op } = node;
  const label = `${node.name}.backward`;
  switch (op.kind) {
    case 'conv2d': {
      adjointNeeds(node);
      const { weights } = convConstants(op);
      const { stride, dilation, padding, groups } = op;
      return Conv2dBackwardData.create(ctx, weights, op.weightShape, {
        stride,
        dilation,
        padding,
        groups,
        label,
      });
    }
    case 'matmul': {
      const [k, m] = op.weightShape;
      return Conv2dBackwardData.create(ctx, op.weights, [1, 1, k, m], { label });
    }
    case 'batchNorm': {
      const { variance, gamma, eps = 1e-5 } = op.params;
      const factor = variance.map((v, c) => (gamma?.[c] ?? 1) / Math.sqrt(v + eps));
      return Tensor.fromArray(ctx, factor, [1, 1, 1, factor.length], label);
    }
    case 'binary':
      if (op.op === 'div' && op.constant instanceof Float32Array) {
        const inv = op.constant.map((v) => 1 / v);
        return Tensor.fromArray(ctx, inv, [1, 1, 1, inv.length], label);
      }
      return undefined;
    default:
      return undefined;
  }
}

/** What the reverse pass reads from the graph it belongs to. */
export interface TapeSource {
  ctx: KernelContext;
  spec: GraphSpec;
  /** The forward layer of a node (the constant operand of a binary op). */
  layer(name: string): unknown;
  backwardLayer(name: string): BackwardLayer | undefined;
}

/**
 * A forward run kept for its input gradient: the outputs, and the forward values the adjoints will
 * read (planInputGradient). `inputGradient` runs the adjoints once, in reverse node order, and frees
 * the kept values; `dispose` frees them without running it. Weights are constants: only gradients
 * with respect to the graph inputs are computed.
 */
export class InputGradientTape {
  private done = false;

  constructor(
    private readonly source: TapeSource,
    readonly plan: InputGradientPlan,
    /** The graph outputs; the caller's to dispose. */
    readonly outputs: Record<string, Tensor>,
    private readonly kept: Map<string, Tensor>,
    private readonly inputs: Record<string, Tensor>,
  ) {}

  /**
   * d(Σ_o ⟨outputGradients[o], o⟩) / d input for every graph input (zeros where no gradient reaches
   * it). `outputGradients` have the outputs' shapes and stay the caller's; outputs not given have
   * zero gradient. The returned tensors are the caller's to dispose.
   */
  inputGradient(outputGradients: Record<string, Tensor>): Record<string, Tensor> {
    if (this.done) throw new GraphError(undefined, 'inputGradient: this tape was already used or disposed');
    this.done = true;
    const { ctx, spec } = this.source;
    const { plan } = this;
    const grads = new Map<string, Tensor>();
    const give = (v: string, t: Tensor) => {
      const prev = grads.get(v);
      if (!prev) return void grads.set(v, t);
      grads.set(v, binary(ctx, 'add', prev, t));
      prev.dispose();
      t.dispose();
    };
    const copy = (t: Tensor) => reshape(ctx, t, t.shape);
    try {
      for (const [name, g] of Object.entries(outputGradients)) {
        if (!spec.outputs.includes(name))
          throw new GraphError(
            undefined,
            `inputGradient: "${name}" is not an output (${spec.outputs.join(', ')})`,
          );
        const want = plan.shapes.get(name)!;
        if (g.shape.join() !== want.join())
          throw new GraphError(
            undefined,
            `inputGradient: gradient of "${name}" is [${g.shape.join(', ')}], the output is [${want.join(', ')}]`,
          );
        give(name, copy(g));
      }
      for (let i = spec.nodes.length - 1; i >= 0; i--) {
        const node = spec.nodes[i];
        const dy = grads.get(node.name);
        if (plan.active[i] && dy) {
          grads.delete(node.name);
          try {
            this.adjoint(node, dy, give);
          } catch (e) {
            throw e instanceof GraphError ? e : new GraphError(node, (e as Error).message);
          } finally {
            dy.dispose();
          }
        }
        for (const v of plan.backwardRelease[i]) {
          this.kept.get(v)?.dispose();
          this.kept.delete(v);
        }
      }
      const result: Record<string, Tensor> = {};
      for (const name of spec.inputs) {
        let g = grads.get(name);
        grads.delete(name);
        if (!g) {
          g = Tensor.empty(ctx, this.inputs[name].shape, `${name}.grad`);
          ctx.commandEncoder.clearBuffer(g.buffer);
        }
        result[name] = g;
      }
      return result;
    } finally {
      for (const t of grads.values()) t.dispose();
      this.releaseKept();
    }
  }

  dispose(): void {
    this.done = true;
    this.releaseKept();
  }

  private releaseKept(): void {
    for (const t of this.kept.values()) t.dispose();
    this.kept.clear();
  }

  private value(name: string): Tensor {
    const t = this.inputs[name] ?? this.outputs[name] ?? this.kept.get(name);
    if (!t) throw new Error(`the forward value "${name}" was not kept`);
    return t;
  }

  /** Hands each input of `node` its share of dy (give takes ownership of what it is given). */
  private adjoint(node: GraphNode, dy: Tensor, give: (v: string, t: Tensor) => void): void {
    const { ctx } = this.source;
    const { op } = node;
    const shape = (v: string): Shape4 => this.plan.shapes.get(v)!;
    const x = node.inputs[0];
    const copy = (t: Tensor) => reshape(ctx, t, t.shape);
    const wants = (v: string) => this.plan.fromInput.has(v);
    switch (op.kind) {
      case 'conv2d':
      case 'matmul': {
        // Epilogue adjoint: y = r + β·act(z) gives dz = β·act'(z)·dy, with act(z) = (y − r)/β.
        let g = dy;
        const owned: Tensor[] = [];
        const beta = op.kind === 'conv2d' ? op.beta : 1;
        const residual = op.kind === 'conv2d' && op.residual;
        if (op.activation !== 'linear') {
          let a = this.value(node.name);
          if (residual) {
            a = binary(ctx, 'sub', a, this.value(node.inputs[1]));
            owned.push(a);
          }
          if (beta !== 1) {
            const scaled = binary(ctx, 'mul', a, 1 / beta);
            owned.push(scaled);
            a = scaled;
          }
          const params = op.kind === 'conv2d' ? { alpha: op.leakySlope, slopes: op.prelu } : {};
          g = activationBackward(ctx, op.activation as ActivationGradOp, a, dy, params);
          owned.push(g);
        }
        if (beta !== 1) {
          const scaled = binary(ctx, 'mul', g, beta);
          owned.push(scaled);
          g = scaled;
        }
        const layer = this.source.backwardLayer(node.name) as Conv2dBackwardData;
        if (wants(x)) give(x, layer.run(g, shape(x)));
        for (const t of owned) t.dispose();
        if (residual && wants(node.inputs[1])) give(node.inputs[1], copy(dy));
        return;
      }
      case 'activation': {
        if (op.activation === 'linear') return give(x, copy(dy));
        const y = this.value(node.name);
        return give(
          x,
          activationBackward(ctx, op.activation as ActivationGradOp, y, dy, {
            alpha: op.alpha,
            slopes: op.slopes,
          }),
        );
      }
      case 'binary': {
        const b = node.inputs[1];
        if (op.constant !== undefined) {
          const c = this.source.layer(node.name);
          const constant = c instanceof Tensor ? c : (op.constant as number);
          switch (op.op) {
            case 'add':
            case 'sub':
              return give(x, copy(dy));
            case 'mul':
              return give(x, binary(ctx, 'mul', dy, constant));
            case 'div': {
              const inv = this.source.backwardLayer(node.name);
              return give(
                x,
                binary(ctx, 'mul', dy, inv instanceof Tensor ? inv : 1 / (op.constant as number)),
              );
            }
            default:
              return give(x, minMaxBackward(ctx, op.op, this.value(x), op.constant, dy));
          }
        }
        if (shape(x).join() !== shape(b).join())
          throw new Error(
            `no input gradient for a broadcast ${op.op} of [${shape(x).join(', ')}] and [${shape(b).join(', ')}]`,
          );
        switch (op.op) {
          case 'add':
            if (wants(b)) give(b, copy(dy));
            return void (wants(x) && give(x, copy(dy)));
          case 'sub':
            if (wants(b)) give(b, binary(ctx, 'mul', dy, -1));
            return void (wants(x) && give(x, copy(dy)));
          case 'mul':
            if (wants(b)) give(b, binary(ctx, 'mul', dy, this.value(x)));
            return void (wants(x) && give(x, binary(ctx, 'mul', dy, this.value(b))));
          case 'min':
          case 'max': {
            const da = minMaxBackward(ctx, op.op, this.value(x), this.value(b), dy);
            if (wants(b)) give(b, binary(ctx, 'sub', dy, da));
            if (wants(x)) give(x, da);
            else da.dispose();
            return;
          }
          default:
            throw new Error(`no input gradient for ${op.op} of two values`);
        }
      }
      case 'add':
        for (const v of node.inputs) if (wants(v)) give(v, copy(dy));
        return;
      case 'scale':
        return give(x, binary(ctx, 'mul', dy, op.factor));
      case 'batchNorm':
        return give(x, binary(ctx, 'mul', dy, this.source.backwardLayer(node.name) as Tensor));
      case 'concat': {
        let c0 = 0;
        for (const v of node.inputs) {
          const s = shape(v);
          if (wants(v)) give(v, slice(ctx, dy, [0, 0, 0, c0], [-1, -1, -1, s[3]]));
          c0 += s[3];
        }
        return;
      }
      case 'padChannels':
        return give(x, slice(ctx, dy, [0, 0, 0, 0], [-1, -1, -1, shape(x)[3]]));
      case 'pad': {
        const [top, , left] = op.pads;
        const [, h, w] = shape(x);
        return give(x, slice(ctx, dy, [0, top, left, 0], [-1, h, w, -1]));
      }
      case 'reshape':
      case 'identity':
        return give(x, reshape(ctx, dy, shape(x)));
      case 'mean':
        return give(x, globalMeanBackward(ctx, dy, shape(x)));
      case 'pool2d':
        return give(
          x,
          pool2dBackward(ctx, this.value(x), dy, {
            mode: op.mode,
            kernel: op.kernel,
            stride: op.stride,
            padding: op.padding,
            countIncludePad: op.countIncludePad,
          }),
        );
      default:
        adjointNeeds(node);
        throw new Error(`op "${op.kind}" has no adjoint`);
    }
  }
}
