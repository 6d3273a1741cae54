import { KernelContext, Tensor } from '@avatarme/kernels';
import { Graph } from '../ir/graph.ts';
import { inferShapes, tensorBytes } from '../ir/shapes.ts';
import { runTiled, type TileNet, type TiledOptions, type TiledResult } from '../tiled/tiled.ts';
import { importOnnx, OnnxImportError, type OnnxImport } from './import.ts';

function parseRange(text: string | undefined, what: string): [number, number] {
  if (text === undefined) return [0, 1];
  const r = text.split(',').map(Number);
  if (r.length !== 2 || !r.every(Number.isFinite) || r[0] >= r[1]) {
    throw new OnnxImportError(`metadata ${what} "${text}" must be "low,high"`);
  }
  return [r[0], r[1]];
}

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
    const { spec, inputChannels, metadata } = imported;
    if (spec.inputs.length !== 1 || spec.outputs.length !== 1) {
      throw new OnnxImportError(
        `${file}: ${spec.inputs.length} inputs and ${spec.outputs.length} outputs (an image network has one of each)`,
      );
    }
    const c = inputChannels[spec.inputs[0]] ?? 3;
    const probe = 8;
    const shapes = inferShapes(spec, { [spec.inputs[0]]: [1, probe, probe, c] });
    const [, oh, ow, oc] = shapes.get(spec.outputs[0])!;
    if (oh !== ow || oh % probe !== 0) {
      throw new OnnxImportError(
        `${file}: an ${probe}×${probe} input gives ${oh}×${ow}, not an integer upscaling`,
      );
    }
    const range = (k: string) => parseRange(metadata[k], k);
    return new OnnxNet(
      imported,
      Graph.create(ctx, spec),
      c,
      oc,
      oh / probe,
      range('input_range'),
      range('output_range'),
    );
  }

  get ctx(): KernelContext {
    return this.graph.ctx;
  }

  memory = (h: number, w: number) => {
    const plan = this.graph.plan({ [this.graph.spec.inputs[0]]: [1, h, w, this.inChannels] });
    let largestBytes = 0;
    for (const [n, sh, sw, ch] of plan.shapes.values())
      largestBytes = Math.max(largestBytes, tensorBytes([n, sh + 4, sw + 20, ch]));
    return { peakBytes: plan.peakBytes, largestBytes };
  };

  /** Pixels in [0, 255] (dense HWC) in, the model's raw output on its output range out, tiled. */
  upscale(
    pixels: Float32Array,
    height: number,
    width: number,
    opts: TiledOptions = {},
  ): Promise<TiledResult> {
    const [lo, hi] = this.inputRange;
    const x = pixels.map((v) => lo + (v / 255) * (hi - lo));
    return runTiled(this, x, height, width, opts);
  }

  /** Output values on the output range to pixels in [0, 255] (not clamped). */
  toPixels(data: Float32Array): Float32Array {
    const [lo, hi] = this.outputRange;
    return data.map((v) => ((v - lo) / (hi - lo)) * 255);
  }

  run(x: Tensor): Tensor {
    return this.graph.run({ [this.graph.spec.inputs[0]]: x })[this.graph.spec.outputs[0]];
  }

  dispose(): void {
    this.graph.dispose();
  }
}
