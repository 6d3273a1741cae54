import { KernelContext, Tensor } from '@avatarme/kernels';
import { Graph } from '../ir/graph.ts';
import { fetchLayersModel } from '../layers-model/load.ts';
import { imageGraphMemory, runImageGraph, upscalePixels } from '../tiled/image-net.ts';
import type { TileNet, TiledOptions, TiledResult } from '../tiled/tiled.ts';
import { esrganModel, esrganModelUrl, type EsrganModelInfo } from './registry.ts';

/**
 * One UpscalerJS ESRGAN model on our kernels. `run` maps a [1, h, w, 3] tensor in the model's input
 * range to [1, h·s, w·s, 3] in its output range; whole images go through the tiled runner.
 */
export class EsrganNet implements TileNet {
  readonly inChannels = 3;
  readonly outChannels = 3;

  private constructor(
    readonly info: EsrganModelInfo,
    readonly graph: Graph,
  ) {}

  static async load(
    ctx: KernelContext,
    model: string,
    scale: number,
    opts: { baseUrl?: string; signal?: AbortSignal } = {},
  ): Promise<EsrganNet> {
    const info = esrganModel(model, scale);
    const spec = await fetchLayersModel(esrganModelUrl(info, opts.baseUrl), { signal: opts.signal });
    return new EsrganNet(info, Graph.create(ctx, spec));
  }

  get ctx(): KernelContext {
    return this.graph.ctx;
  }

  get scale(): number {
    return this.info.scale;
  }

  memory = (h: number, w: number) => imageGraphMemory(this.graph, this.inChannels, h, w);

  /** Pixels in [0, 255] (dense HWC RGB) in, the model's raw output out, tiled (upscalePixels). */
  upscale(
    pixels: Float32Array,
    height: number,
    width: number,
    opts: TiledOptions = {},
  ): Promise<TiledResult> {
    return upscalePixels(this, this.info.inputRange, pixels, height, width, opts);
  }

  /** Records the network for one window (one submission); the result is the caller's. */
  run(x: Tensor): Tensor {
    return runImageGraph(this.graph, x);
  }

  /** CPU array in, CPU array out (dense HWC, model ranges). */
  async predict(data: Float32Array, height: number, width: number): Promise<Float32Array> {
    const x = Tensor.fromArray(this.ctx, data, [1, height, width, 3], 'esrgan.input');
    try {
      const y = this.run(x);
      try {
        return await y.read();
      } finally {
        y.dispose();
      }
    } finally {
      x.dispose();
    }
  }

  dispose(): void {
    this.graph.dispose();
  }
}
