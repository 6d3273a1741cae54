import {
  Conv2d,
  Tensor,
  binary,
  concat,
  depthwiseToGroupedHWIO,
  globalMean,
  pad,
  pool2d,
  reshape,
  softmax,
  unary,
  type KernelContext,
  type Shape4,
} from '@avatarme/kernels';
import { signatureOf } from './model-json.ts';
import { loadGraphModel, type FetchBytes, type GraphModelArtifacts } from './load.ts';
import { planGraph, stepInputs, type GraphPlan, type Step } from './plan.ts';

/** A graph output: the tensor (the caller disposes it) and its shape as TF reports it. */
export interface GraphOutput {
  tensor: Tensor;
  shape: number[];
}

interface Value {
  tensor: Tensor;
  /** TF rank; the 4-D tensor holds rank r shape s as [s0, 1, s1, s2] (r 3), [s0, 1, 1, s1] (r 2). */
  rank: number;
}

/** TF shape (rank ≤ 4) → our NHWC shape: the last axis is always the channel axis, order is kept. */
export function toNhwc(shape: readonly number[]): Shape4 {
  switch (shape.length) {
    case 0:
      return [1, 1, 1, 1];
    case 1:
      return [1, 1, 1, shape[0]];
    case 2:
      return [shape[0], 1, 1, shape[1]];
    case 3:
      return [shape[0], 1, shape[1], shape[2]];
    case 4:
      return [shape[0], shape[1], shape[2], shape[3]];
    default:
      throw new Error(`shape [${shape.join(', ')}] has rank above 4`);
  }
}

/** Inverse of toNhwc for a tensor known to hold a rank-`rank` value. */
export function tfShapeOf(shape: Shape4, rank: number): number[] {
  const [n, h, w, c] = shape;
  switch (rank) {
    case 0:
      return [];
    case 1:
      return [c];
    case 2:
      return [n, c];
    case 3:
      return [n, w, c];
    default:
      return [n, h, w, c];
  }
}

/** Kernel layers and constant tensors a step owns, built once when the model is created. */
type Prepared = { kind: 'conv'; layer: Conv2d } | { kind: 'operand'; tensor: Tensor } | { kind: 'none' };

/**
 * Runs a TF.js graph model on our kernels. Weights go to the GPU once at creation; run() records every
 * step into the context's encoder and frees each intermediate tensor after its last use.
 */
export class GraphModel {
  private readonly prepared = new Map<string, Prepared>();
  /** How many steps (plus the caller, for outputs) read each value. */
  private readonly uses = new Map<string, number>();
  private disposed = false;

  private constructor(
    private readonly ctx: KernelContext,
    readonly plan: GraphPlan,
    /** Names the outputs are returned under, parallel to plan.outputs. */
    readonly outputKeys: string[],
  ) {
    // Operand tensors come from the pool: submit recorded work that may still read a reused buffer.
    ctx.flush();
    for (const s of plan.steps) this.prepared.set(s.name, this.prepare(s));
    for (const s of plan.steps) for (const i of stepInputs(s)) this.uses.set(i, (this.uses.get(i) ?? 0) + 1);
    for (const o of plan.outputs) this.uses.set(o, (this.uses.get(o) ?? 0) + 1);
  }

  /** Plans the graph for `outputs` (signature keys, node names or "node:0"; default: the model's outputs). */
  static create(ctx: KernelContext, model: GraphModelArtifacts, outputs?: string[]): GraphModel {
    const plan = planGraph(model, outputs);
    let keys = outputs;
    if (!keys) {
      const sigOutputs = signatureOf(model.json)?.outputs;
      const byNode = new Map(
        Object.entries(sigOutputs ?? {}).map(([k, e]) => [e.name.replace(/:0$/, ''), k]),
      );
      keys = plan.outputs.map((o) => byNode.get(o) ?? o);
    }
    return new GraphModel(ctx, plan, keys);
  }

  static async load(
    ctx: KernelContext,
    url: string,
    opts: { outputs?: string[]; fetcher?: FetchBytes } = {},
  ): Promise<GraphModel> {
    return GraphModel.create(ctx, await loadGraphModel(url, opts.fetcher), opts.outputs);
  }

  private prepare(s: Step): Prepared {
    const ctx = this.ctx;
    try {
      if (s.kind === 'conv') {
        const common = {
          stride: s.stride,
          dilation: s.dilation,
          padding: s.padding,
          bias: s.bias,
          activation: s.activation,
          prelu: s.prelu,
          leakySlope: s.leakySlope,
          label: s.name,
        };
        const f = s.filter;
        if (s.depthwise) {
          const g = depthwiseToGroupedHWIO(f.data as Float32Array, f.shape);
          return {
            kind: 'conv',
            layer: Conv2d.create(ctx, g.weights, g.shape, { ...common, groups: g.groups }),
          };
        }
        return { kind: 'conv', layer: Conv2d.create(ctx, f.data as Float32Array, f.shape, common) };
      }
      if (s.kind === 'matmul') {
        // A [B, K] matrix is a [B, 1, 1, K] tensor, so x·W + b is a 1×1 convolution with HWIO [1, 1, K, M].
        const [k, m] = s.shape;
        const layer = Conv2d.create(ctx, s.weights, [1, 1, k, m], {
          bias: s.bias,
          activation: s.activation,
          label: s.name,
        });
        return { kind: 'conv', layer };
      }
      if (s.kind === 'binary' && s.b instanceof Float32Array) {
        return { kind: 'operand', tensor: Tensor.fromArray(ctx, s.b, [1, 1, 1, s.b.length], `${s.name}.b`) };
      }
    } catch (e) {
      throw new Error(`graph node "${s.name}": ${(e as Error).message}`, { cause: e });
    }
    return { kind: 'none' };
  }

  get inputNames(): string[] {
    return this.plan.inputs;
  }

  /**
   * Runs the graph. `inputs` is the input tensor (one-input models) or tensors by input name; they
   * stay the caller's. Returns the outputs by key; the caller disposes them.
   */
  run(inputs: Tensor | Record<string, Tensor>): Record<string, GraphOutput> {
    if (this.disposed) throw new Error(`${this.plan.file}: model was disposed`);
    const given: Record<string, Tensor> =
      inputs instanceof Tensor ? { [this.plan.inputs[0]]: inputs } : inputs;
    if (inputs instanceof Tensor && this.plan.inputs.length !== 1) {
      throw new Error(`${this.plan.file}: has inputs ${this.plan.inputs.join(', ')}; pass them by name`);
    }
    const values = new Map<string, Value>();
    const refs = new Map<Tensor, number>();
    const callerOwned = new Set(Object.values(given));
    const hold = (name: string, v: Value): void => {
      values.set(name, v);
      refs.set(v.tensor, (refs.get(v.tensor) ?? 0) + (this.uses.get(name) ?? 0));
    };
    const release = (name: string): void => {
      const t = values.get(name)!.tensor;
      const left = refs.get(t)! - 1;
      refs.set(t, left);
      if (left === 0 && !callerOwned.has(t)) t.dispose();
    };

    for (const s of this.plan.steps) {
      let out: Value;
      try {
        out = this.runStep(s, given, values);
      } catch (e) {
        for (const [t, n] of refs) if (n > 0 && !callerOwned.has(t)) t.dispose();
        throw new Error(`graph node "${s.name}" (${s.kind}): ${(e as Error).message}`, { cause: e });
      }
      hold(s.name, out);
      for (const i of stepInputs(s)) release(i);
    }
    const result: Record<string, GraphOutput> = {};
    this.plan.outputs.forEach((o, k) => {
      const v = values.get(o)!;
      result[this.outputKeys[k]] = { tensor: v.tensor, shape: tfShapeOf(v.tensor.shape, v.rank) };
    });
    return result;
  }

  private runStep(s: Step, given: Record<string, Tensor>, values: Map<string, Value>): Value {
    const ctx = this.ctx;
    const get = (name: string): Value => values.get(name)!;
    const prep = this.prepared.get(s.name)!;
    switch (s.kind) {
      case 'input': {
        const t = given[s.name];
        if (!t) throw new Error(`input "${s.name}" was not given (inputs: ${this.plan.inputs.join(', ')})`);
        checkInputShape(s.name, s.shape, t.shape);
        return { tensor: t, rank: 4 };
      }
      case 'conv':
        return { tensor: (prep as { layer: Conv2d }).layer.run(get(s.input).tensor), rank: 4 };
      case 'matmul': {
        const x = get(s.input);
        if (x.rank !== 2) throw new Error(`matmul input must be rank 2, got rank ${x.rank}`);
        return { tensor: (prep as { layer: Conv2d }).layer.run(x.tensor), rank: 2 };
      }
      case 'binary': {
        const a = get(s.a);
        if (typeof s.b === 'number') return { tensor: binary(ctx, s.op, a.tensor, s.b), rank: a.rank };
        if (typeof s.b !== 'string')
          return { tensor: binary(ctx, s.op, a.tensor, (prep as { tensor: Tensor }).tensor), rank: a.rank };
        const b = get(s.b);
        return { tensor: binary(ctx, s.op, a.tensor, b.tensor), rank: Math.max(a.rank, b.rank) };
      }
      case 'unary': {
        const x = get(s.input);
        return { tensor: unary(ctx, s.op, x.tensor), rank: x.rank };
      }
      case 'prelu': {
        const x = get(s.input);
        return { tensor: unary(ctx, 'prelu', x.tensor, { slopes: s.slopes }), rank: x.rank };
      }
      case 'maxpool':
        return {
          tensor: pool2d(ctx, get(s.input).tensor, {
            mode: 'max',
            kernel: s.kernel,
            stride: s.stride,
            padding: s.padding,
          }),
          rank: 4,
        };
      case 'padChannels': {
        const x = get(s.input).tensor;
        const zeros = Tensor.empty(ctx, [x.n, x.h, x.w, s.after], `${s.name}.zeros`);
        ctx.commandEncoder.clearBuffer(zeros.buffer);
        const y = concat(ctx, [x, zeros]);
        zeros.dispose();
        return { tensor: y, rank: 4 };
      }
      case 'padSpatial': {
        const [top, bottom, left, right] = s.pads;
        return {
          tensor: pad(ctx, get(s.input).tensor, { top, bottom, left, right, mode: 'zero' }, s.name),
          rank: 4,
        };
      }
      case 'reshape': {
        const x = get(s.input);
        const from = tfShapeOf(x.tensor.shape, x.rank);
        const total = from.reduce((a, b) => a * b, 1);
        const known = s.shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
        const to = s.shape.map((d) => (d === -1 ? total / known : d));
        if (!Number.isInteger(total / known) || to.reduce((a, b) => a * b, 1) !== total) {
          throw new Error(`cannot reshape [${from.join(', ')}] to [${s.shape.join(', ')}]`);
        }
        return { tensor: reshape(ctx, x.tensor, toNhwc(to)), rank: to.length };
      }
      case 'concat': {
        const parts = s.inputs.map(get);
        const rank = parts[0].rank;
        if (parts.some((p) => p.rank !== rank)) throw new Error('inputs differ in rank');
        if (s.axis !== -1 && s.axis !== rank - 1) {
          throw new Error(
            `concatenation along axis ${s.axis} of rank-${rank} values is not supported (last axis only)`,
          );
        }
        return {
          tensor: concat(
            ctx,
            parts.map((p) => p.tensor),
          ),
          rank,
        };
      }
      case 'mean': {
        const x = get(s.input);
        if (x.rank !== 4) throw new Error(`mean over axes [1, 2] needs a rank-4 input, got rank ${x.rank}`);
        return { tensor: globalMean(ctx, x.tensor), rank: s.keepDims ? 4 : 2 };
      }
      case 'softmax': {
        const x = get(s.input);
        return { tensor: softmax(ctx, x.tensor), rank: x.rank };
      }
      case 'identity':
        return get(s.input);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.prepared.values()) {
      if (p.kind === 'conv') p.layer.dispose();
      else if (p.kind === 'operand') p.tensor.dispose();
    }
  }
}

function checkInputShape(name: string, declared: number[], actual: Shape4): void {
  if (declared.length === 0) return;
  const ok = declared.length === 4 && declared.every((d, i) => d === -1 || d === actual[i]);
  if (!ok)
    throw new Error(`input "${name}" is [${actual.join(', ')}], the model declares [${declared.join(', ')}]`);
}
