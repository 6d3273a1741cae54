import { KernelError, type KernelContext, type Tensor } from '@avatarme/kernels';
import { Graph } from '../ir/graph.ts';
import type { SafetensorsFile } from '../safetensors/reader.ts';
import {
  pix2pixhdLayout,
  sizeMultiple,
  type Pix2PixHDLayout,
  type Pix2PixHDOptions,
} from './architecture.ts';
import { PIX2PIXHD_INPUT, pix2pixhdGraph } from './graph.ts';
import { checkStateDict } from './state-dict.ts';

/**
 * A pix2pixHD GlobalGenerator or LocalEnhancer on the kernels, built from a PyTorch state_dict: the
 * network as IR (pix2pixhdGraph) run by the one executor, which folds batch norm into the
 * convolution before it, reflection pads and ReLUs into the convolutions, the ResnetBlocks' sums into
 * the second convolution's epilogue (batch norm) and ReLU into instance norm. Input NHWC in [-1, 1]
 * with input_nc channels, H and W multiples of sizeMultiple(); output tanh in [-1, 1].
 */
export class Pix2PixHDGenerator {
  private constructor(
    readonly layout: Pix2PixHDLayout,
    readonly label: string,
    readonly graph: Graph,
  ) {}

  get options(): Pix2PixHDOptions {
    return this.layout.options;
  }

  /** Checks the state_dict against the configuration (one error listing every problem), uploads it. */
  static fromSafetensors(
    ctx: KernelContext,
    weights: SafetensorsFile,
    options: Partial<Pix2PixHDOptions>,
  ): Pix2PixHDGenerator {
    const layout = pix2pixhdLayout(options);
    checkStateDict(weights, layout);
    const spec = pix2pixhdGraph(layout, (key) => weights.float32(key), weights.file);
    return new Pix2PixHDGenerator(layout, weights.file, Graph.create(ctx, spec));
  }

  /** Records the forward pass into the context's encoder; returns a new tensor (input left alone). */
  run(input: Tensor): Tensor {
    const o = this.options;
    const [, h, w, c] = input.shape;
    const m = sizeMultiple(o);
    if (c !== o.input_nc || h % m !== 0 || w % m !== 0) {
      throw new KernelError(
        `pix2pixHD ${this.label}`,
        `input [${input.shape.join(', ')}] must have ${o.input_nc} channels and height and width multiples of ${m}`,
      );
    }
    return this.graph.run({ [PIX2PIXHD_INPUT]: input })[this.graph.spec.outputs[0]];
  }

  dispose(): void {
    this.graph.dispose();
  }
}
