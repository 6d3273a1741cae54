import { KernelContext, Tensor } from '@avatarme/kernels';
import { Graph } from '../ir/graph.ts';
import { imageGraphMemory, runImageGraph, upscalePixels } from '../tiled/image-net.ts';
import type { TileNet, TiledOptions, TiledResult } from '../tiled/tiled.ts';
import { describeOnnxImageNet } from './describe.ts';
import { importOnnx, type OnnxImport } from './import.ts';

/**
 * An image-to-image ONNX network (one [1, C, H, W] input, one output) on the executor. Pixels are
 * scaled to the model's `input_range` metadata ([0, 1] when the file does not say) and outputs are
 * returned on its `output_range`; the scale factor is read from the graph's shapes.
 */
export class OnnxNet implements TileNet {
  private constructor(
    readonly imported: OnnxImport,
    readonly graph: Graph,
    readonly inChannels: number,
    readonly outChannels: number,
    readonly scale: number,
    readonly inputRange: [number, number],
    readonly outputRange: [number, number],
  ) {}

  static create(ctx: KernelContext, bytes: Uint8Array, file = 'model.onnx'): OnnxNet {
    const imported = importOnnx(bytes, file);
    const d = describeOnnxImageNet(imported, file);
    const graph = Graph.create(ctx, imported.spec);
    return new OnnxNet(imported, graph, d.inChannels, d.outChannels, d.scale, d.inputRange, d.outputRange);
  }

  get ctx(): KernelContext {
    return this.graph.ctx;
  }

  memory = (h: number, w: number) => imageGraphMemory(this.graph, this.inChannels, h, w);

  /** Pixels in [0, 255] (dense HWC) in, the model's raw output on its output range out, tiled. */
  upscale(
    pixels: Float32Array,
    height: number,
    width: number,
    opts: TiledOptions = {},
  ): Promise<TiledResult> {
    return upscalePixels(this, this.inputRange, pixels, height, width, opts);
  }

  /** Output values on the output range to pixels in [0, 255] (not clamped). */
  toPixels(data: Float32Array): Float32Array {
    const [lo, hi] = this.outputRange;
    return data.map((v) => ((v - lo) / (hi - lo)) * 255);
  }

  run(x: Tensor): Tensor {
    return runImageGraph(this.graph, x);
  }

  dispose(): void {
    this.graph.dispose();
  }
}
