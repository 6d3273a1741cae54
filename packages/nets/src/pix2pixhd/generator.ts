import {
  Conv2d,
  ConvTranspose2d,
  KernelError,
  Tensor,
  binary,
  foldBatchNorm,
  instanceNorm,
  pool2d,
  torchConvTransposeWeightsToTf,
  type KernelContext,
} from '@avatarme/kernels';
import type { SafetensorsFile } from '../safetensors/reader.ts';
import {
  pix2pixhdLayout,
  sizeMultiple,
  type ConvLayer,
  type Layer,
  type Pix2PixHDLayout,
  type Pix2PixHDOptions,
} from './architecture.ts';
import { checkStateDict } from './state-dict.ts';
import { swapLastTwoAxes, torchConvWeightsToHWIO } from './weights.ts';

/** PyTorch's InstanceNorm2d and BatchNorm2d default. */
const NORM_EPS = 1e-5;

/** One conv layer on the GPU: the convolution, and instance norm after it when not folded. */
interface ConvStep {
  kind: 'conv';
  layer: ConvLayer;
  op: Conv2d | ConvTranspose2d;
  /** Instance norm (with the layer's activation) after the convolution; batch norm is folded in. */
  instanceNorm: boolean;
}
type Step = ConvStep | { kind: 'res'; convs: [ConvStep, ConvStep] };

/**
 * A pix2pixHD GlobalGenerator or LocalEnhancer on the kernels, built from a PyTorch state_dict.
 * Batch norm is folded into the convolution before it (and the ResnetBlock's add into the second
 * convolution's epilogue); instance norm runs as its own kernel. Input NHWC in [-1, 1] with
 * input_nc channels, H and W multiples of sizeMultiple(); output tanh in [-1, 1].
 */
export class Pix2PixHDGenerator {
  private disposed = false;

  private constructor(
    private readonly ctx: KernelContext,
    readonly layout: Pix2PixHDLayout,
    readonly label: string,
    private readonly global: Step[],
    private readonly local: { down: Step[]; up: Step[] }[],
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
    const made: Step[] = [];
    try {
      const build = (ls: Layer[]) => {
        const steps = ls.map((l) => buildStep(ctx, weights, layout.options, l));
        made.push(...steps);
        return steps;
      };
      const global = build(layout.global);
      const local = layout.local.map((l) => ({ down: build(l.down), up: build(l.up) }));
      return new Pix2PixHDGenerator(ctx, layout, weights.file, global, local);
    } catch (e) {
      for (const s of made) disposeStep(s);
      throw e;
    }
  }

  /** Records the forward pass into the context's encoder; returns a new tensor (input left alone). */
  run(input: Tensor): Tensor {
    const op = `pix2pixHD ${this.label}`;
    if (this.disposed) throw new KernelError(op, 'generator was disposed');
    const o = this.options;
    const [, h, w, c] = input.shape;
    const m = sizeMultiple(o);
    if (c !== o.input_nc || h % m !== 0 || w % m !== 0) {
      throw new KernelError(
        op,
        `input [${input.shape.join(', ')}] must have ${o.input_nc} channels and height and width multiples of ${m}`,
      );
    }
    if (this.local.length === 0) return this.runSteps(this.global, input, false);
    // Input pyramid: level i is the input average-pooled i times; the global branch runs on the last.
    const levels = this.local.length;
    const pyramid = [input];
    for (let i = 0; i < levels; i++) {
      pyramid.push(
        pool2d(this.ctx, pyramid[i], {
          mode: 'avg',
          kernel: 3,
          stride: 2,
          padding: 1,
          countIncludePad: false,
        }),
      );
    }
    let prev = this.runSteps(this.global, pyramid[levels], true);
    this.local.forEach((level, i) => {
      const k = levels - 1 - i;
      // The level's downsampling branch ends with "+ prev" (pix2pixHD: model_downsample(x) + output_prev).
      const sum = this.runSteps(level.down, pyramid[k], k > 0, prev);
      prev.dispose();
      prev = this.runSteps(level.up, sum, true);
    });
    return prev;
  }

  /**
   * Runs steps in order, releasing each intermediate as soon as the next step has consumed it.
   * `ownsInput`: the first input may be released too. `addAtEnd` is added to the last step's output.
   */
  private runSteps(steps: Step[], input: Tensor, ownsInput: boolean, addAtEnd?: Tensor): Tensor {
    let x = input;
    steps.forEach((step, i) => {
      const residual = i === steps.length - 1 ? addAtEnd : undefined;
      const y =
        step.kind === 'conv'
          ? this.runConv(step, x, residual)
          : this.runConv(step.convs[1], this.runConv(step.convs[0], x), x, true);
      if (x !== input || ownsInput) x.dispose();
      x = y;
    });
    return x;
  }

  /** conv → (instance norm + activation) → (+ residual); `ownsInput` releases x once read. */
  private runConv(step: ConvStep, x: Tensor, residual?: Tensor, ownsInput = false): Tensor {
    let y: Tensor;
    if (!step.instanceNorm) {
      y = step.op instanceof Conv2d ? step.op.run(x, { residual }) : step.op.run(x);
      if (residual && !(step.op instanceof Conv2d)) y = addInPlace(this.ctx, y, residual);
    } else {
      const raw = step.op.run(x);
      y = instanceNorm(this.ctx, raw, {
        eps: NORM_EPS,
        activation: step.layer.activation === 'relu' ? 'relu' : 'linear',
      });
      raw.dispose();
      if (residual) y = addInPlace(this.ctx, y, residual);
    }
    if (ownsInput) x.dispose();
    return y;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.global) disposeStep(s);
    for (const l of this.local) for (const s of [...l.down, ...l.up]) disposeStep(s);
  }
}

/** a + b as a new tensor, releasing a. */
function addInPlace(ctx: KernelContext, a: Tensor, b: Tensor): Tensor {
  const y = binary(ctx, 'add', a, b);
  a.dispose();
  return y;
}

function disposeStep(s: Step): void {
  if (s.kind === 'conv') s.op.dispose();
  else for (const c of s.convs) c.op.dispose();
}

function buildStep(ctx: KernelContext, file: SafetensorsFile, o: Pix2PixHDOptions, l: Layer): Step {
  if (l.kind === 'res') {
    const first = buildConv(ctx, file, o, l.convs[0]);
    try {
      return { kind: 'res', convs: [first, buildConv(ctx, file, o, l.convs[1])] };
    } catch (e) {
      first.op.dispose();
      throw e;
    }
  }
  return buildConv(ctx, file, o, l);
}

function buildConv(ctx: KernelContext, file: SafetensorsFile, o: Pix2PixHDOptions, l: ConvLayer): ConvStep {
  const torchWeights = file.float32(`${l.key}.weight`);
  let bias = file.float32(`${l.key}.bias`);
  let weights =
    l.kind === 'conv'
      ? torchConvWeightsToHWIO(torchWeights, [l.cout, l.cin, l.k, l.k])
      : torchConvTransposeWeightsToTf(torchWeights, [l.cin, l.cout, l.k, l.k]).weights;
  const batch = !!l.norm && o.norm === 'batch';
  const instance = !!l.norm && o.norm === 'instance';
  if (batch) {
    const p = (name: string) => file.float32(`${l.norm}.${name}`);
    const bn = {
      gamma: p('weight'),
      beta: p('bias'),
      mean: p('running_mean'),
      variance: p('running_var'),
      eps: NORM_EPS,
    };
    // foldBatchNorm wants the output channel last: HWIO already has it; the transposed filter
    // [kh, kw, cout, cin] is folded as [kh, kw, cin, cout] and turned back.
    if (l.kind === 'conv') ({ weights, bias } = foldBatchNorm(weights, [l.k, l.k, l.cin, l.cout], bias, bn));
    else {
      const folded = foldBatchNorm(
        swapLastTwoAxes(weights, [l.k, l.k, l.cout, l.cin]),
        [l.k, l.k, l.cin, l.cout],
        bias,
        bn,
      );
      weights = swapLastTwoAxes(folded.weights, [l.k, l.k, l.cin, l.cout]);
      bias = folded.bias;
    }
  }
  const activation = instance ? 'linear' : l.activation;
  const label = `${file.file}:${l.key}`;
  const op =
    l.kind === 'conv'
      ? Conv2d.create(ctx, weights, [l.k, l.k, l.cin, l.cout], {
          stride: l.stride,
          padding: l.pad,
          padMode: l.padMode === 'reflect' ? 'reflect' : 'zero',
          bias,
          activation,
          label,
        })
      : ConvTranspose2d.create(ctx, weights, [l.k, l.k, l.cout, l.cin], {
          stride: l.stride,
          padding: l.pad,
          outputPadding: 1,
          bias,
          activation,
          label,
        });
  return { kind: 'conv', layer: l, op, instanceNorm: instance };
}
