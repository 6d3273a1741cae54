import { Tensor, type KernelContext } from '@avatarme/kernels';
import { Graph } from '../ir/graph.ts';
import { withoutWeights } from '../ir/layers.ts';
import { tfShapeOf } from '../ir/shapes.ts';
import { loadGraphModel, type FetchBytes, type GraphModelArtifacts } from './load.ts';
import { lowerGraphModel, type GraphModelSpec } from './lower.ts';
import { signatureOf } from './model-json.ts';

/** A graph output: the tensor (the caller disposes it) and its shape as TF reports it. */
export interface GraphOutput {
  tensor: Tensor;
  shape: number[];
}

/**
 * A TF.js graph model on our kernels: lowered to the IR (lowerGraphModel) and run by the one executor
 * (Graph), which fuses it, uploads its weights once and records each run into the context's encoder.
 */
export class GraphModel {
  private constructor(
    /** The lowered model before fusion, weights dropped (graph.spec is what runs). */
    readonly spec: GraphModelSpec,
    readonly graph: Graph,
    /** Names the outputs are returned under, parallel to spec.outputs. */
    readonly outputKeys: string[],
    /** For a view made by usedFrom: the context whose recorded work feeds the runs. */
    private readonly caller?: KernelContext,
  ) {}

  /**
   * This model, run from work recorded in another context `ctx` (a model kept on the device while
   * each run makes its own context). Two contexts' encoders do not order each other's work, so each
   * run of the view submits `ctx`'s recorded work first (what made the inputs) and its own right
   * after (the outputs, and the buffers it read, which either context's pool may hand out next).
   * Callers on one device take turns: the graph's pool is shared. The view owns nothing: its
   * dispose() leaves the model to its owner.
   */
  usedFrom(ctx: KernelContext): GraphModel {
    if (ctx === this.graph.ctx) return this;
    return new GraphModel(this.spec, this.graph, this.outputKeys, ctx);
  }

  /**
   * Lowers the graph for `outputs` (signature keys, node names or "node:0"; default: the model's
   * outputs). `inputGradient: true` makes it differentiable with respect to its input (Graph.create).
   */
  static create(
    ctx: KernelContext,
    model: GraphModelArtifacts,
    outputs?: string[],
    opts: { inputGradient?: boolean } = {},
  ): GraphModel {
    const spec = lowerGraphModel(model, outputs);
    let keys = outputs;
    if (!keys) {
      const sigOutputs = signatureOf(model.json)?.outputs;
      const byNode = new Map(
        Object.entries(sigOutputs ?? {}).map(([k, e]) => [e.name.replace(/:0$/, ''), k]),
      );
      keys = spec.outputs.map((o) => byNode.get(o) ?? o);
    }
    const graph = Graph.create(ctx, spec, { inputGradient: opts.inputGradient });
    return new GraphModel({ ...spec, nodes: spec.nodes.map(withoutWeights) }, graph, keys);
  }

  static async load(
    ctx: KernelContext,
    url: string,
    opts: { outputs?: string[]; fetcher?: FetchBytes; inputGradient?: boolean } = {},
  ): Promise<GraphModel> {
    return GraphModel.create(ctx, await loadGraphModel(url, opts.fetcher), opts.outputs, opts);
  }

  /** The graph node an output key (as run() returns it) stands for. */
  outputNode(key: string): string {
    const k = this.outputKeys.indexOf(key);
    if (k < 0)
      throw new Error(`${this.spec.file}: no output "${key}" (outputs: ${this.outputKeys.join(', ')})`);
    return this.spec.outputs[k];
  }

  get inputNames(): string[] {
    return this.spec.inputs;
  }

  /**
   * Runs the graph. `inputs` is the input tensor (one-input models) or tensors by input name; they
   * stay the caller's. Returns the outputs by key; the caller disposes them.
   */
  run(inputs: Tensor | Record<string, Tensor>): Record<string, GraphOutput> {
    const { file } = this.spec;
    if (inputs instanceof Tensor && this.spec.inputs.length !== 1) {
      throw new Error(`${file}: has inputs ${this.spec.inputs.join(', ')}; pass them by name`);
    }
    const given = inputs instanceof Tensor ? { [this.spec.inputs[0]]: inputs } : inputs;
    for (const name of this.spec.inputs) {
      if (!given[name])
        throw new Error(`${file}: input "${name}" was not given (inputs: ${this.spec.inputs.join(', ')})`);
    }
    this.caller?.flush();
    const { outputs, plan } = this.graph.execute(given);
    if (this.caller) this.graph.ctx.flush();
    const result: Record<string, GraphOutput> = {};
    this.spec.outputs.forEach((o, k) => {
      const tensor = outputs[o];
      result[this.outputKeys[k]] = { tensor, shape: tfShapeOf(tensor.shape, plan.ranks.get(o)!) };
    });
    return result;
  }

  dispose(): void {
    if (this.caller) return;
    this.graph.dispose();
  }
}
