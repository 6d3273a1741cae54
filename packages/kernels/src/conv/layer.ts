import { compileTier, type CompileTier } from '../core/compile-tier.ts';
import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import type { Program } from '../core/program.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Activation } from '../core/types.ts';
import epilogueSource from './epilogue.wgsl?raw';
import paramsSource from './params.wgsl?raw';
import {
  CONV_HEAVY_AFTER_MACS,
  adapterProfile,
  chooseChannelBlock,
  type AdapterProfile,
  type ConvTiling,
} from './tiling.ts';

/** The includes of the convolution kernels, for KernelContext.program. */
export const CONV_INCLUDES = { 'conv-params': paramsSource, 'conv-epilogue': epilogueSource };

/** The epilogue's ACT constant (epilogue.wgsl). relu6 is clamp to [0, 6]. */
export const ACT_CODE: Record<Activation, number> = {
  linear: 0,
  relu: 1,
  leakyRelu: 2,
  prelu: 3,
  clamp: 4,
  relu6: 4,
  tanh: 5,
  sigmoid: 6,
};

/** What a layer's options say about its epilogue, y = residual + beta · act(conv + bias). */
export interface EpilogueOptions {
  bias?: Float32Array;
  activation?: Activation;
  /** Slope for 'leakyRelu' (default 0.2). */
  leakySlope?: number;
  /** Bounds for 'clamp'; 'relu6' is clamp to [0, 6]. */
  clampMin?: number;
  clampMax?: number;
  /** Per-output-channel slopes for 'prelu'. */
  prelu?: Float32Array;
  /** Scales the activated output (ESRGAN's residual scaling). */
  beta?: number;
}

/**
 * The members of params.wgsl's Params that a kernel gives: the window geometry. The sizes come from
 * the tensors bound and the packed weights, the members only some kernels read (dilation, groups,
 * the transposed convolution's crop and tap offsets) default to values that change nothing, and the
 * epilogue's come from the layer options (epilogueParams).
 */
export interface ConvParams {
  kh: number;
  kw: number;
  stride_y: number;
  stride_x: number;
  dil_y?: number;
  dil_x?: number;
  group_in?: number;
  group_out?: number;
  pad_t?: number;
  pad_l?: number;
  tap_y0?: number;
  tap_x0?: number;
  co_blocks: number;
}

/** The epilogue's members of Params: beta, and act_a / act_b (leaky slope or clamp bounds). */
function epilogueParams(o: EpilogueOptions): { beta: number; act_a: number; act_b: number } {
  const clampMin = o.activation === 'relu6' ? 0 : (o.clampMin ?? 0);
  const clampMax = o.activation === 'relu6' ? 6 : (o.clampMax ?? 1);
  return {
    beta: o.beta ?? 1,
    act_a: o.activation === 'leakyRelu' ? (o.leakySlope ?? 0.2) : clampMin,
    act_b: clampMax,
  };
}

/**
 * A convolution layer's constant buffers on the GPU: the packed weights, and bias and PReLU slopes
 * padded to wC4 vec4 groups (zeros if absent). The weights are packed for cb output groups per
 * invocation (`tilingCb`, or the adapter's choice) and wC4 = out_c4 rounded up to cb. dispose()
 * destroys them; the layer is unusable after that.
 */
export class ConvConstants {
  readonly cb: number;
  readonly wC4: number;
  private readonly weights: GPUBuffer;
  private readonly bias: GPUBuffer;
  private readonly alpha: GPUBuffer;
  private disposed = false;

  constructor(
    ctx: KernelContext,
    label: string,
    weightShape: readonly number[],
    cout: number,
    o: EpilogueOptions & { tiling?: { cb?: number } },
    pack: (wC4: number) => Float32Array,
  ) {
    const cout4 = Math.ceil(cout / 4);
    this.cb = o.tiling?.cb ?? chooseChannelBlock(cout4, adapterProfile(ctx.device.adapterInfo));
    this.wC4 = Math.ceil(cout4 / this.cb) * this.cb;
    const packed = pack(this.wC4);
    ctx.checkBindingSize(label, 'weights', weightShape, packed.byteLength);
    this.weights = uploadConstant(ctx, packed, `${label}.weights`);
    this.bias = uploadConstant(ctx, padVec4(o.bias, cout, this.wC4), `${label}.bias`);
    this.alpha = uploadConstant(ctx, padVec4(o.prelu, cout, this.wC4), `${label}.prelu`);
  }

  /** Checks an input before a run: the layer not disposed, the tensor alive, its channels right. */
  checkInput(op: string, input: Tensor, inChannels: number, weightShape: readonly number[]): void {
    if (this.disposed) throw new KernelError(op, 'layer was disposed');
    input.assertAlive(op);
    if (input.c !== inChannels) {
      throw new KernelError(
        op,
        `input ${fmtShape(input.shape)} has ${input.c} channels, weights ${fmtShape(weightShape)} expect ${inChannels}`,
      );
    }
  }

  /** Records one convolution kernel over input x (pre-padded) into y: params.wgsl's bindings. */
  dispatch(
    ctx: KernelContext,
    program: Program,
    io: { x: Tensor; y: Tensor; residual?: Tensor },
    params: ConvParams,
    epilogue: EpilogueOptions,
    workgroups: [number, number, number],
  ): void {
    ctx.dispatch(
      program,
      {
        x: io.x,
        w: this.weights,
        bias: this.bias,
        alpha: this.alpha,
        residual: io.residual ?? ctx.emptyBuffer,
        y: io.y,
        u: {
          in_h: io.x.h,
          in_w: io.x.w,
          in_c4: io.x.c4,
          out_h: io.y.h,
          out_w: io.y.w,
          out_c4: io.y.c4,
          out_c: io.y.c,
          w_c4: this.wC4,
          dil_y: 1,
          dil_x: 1,
          group_in: 0,
          group_out: 0,
          pad_t: 0,
          pad_l: 0,
          tap_y0: 0,
          tap_x0: 0,
          ...params,
          ...epilogueParams(epilogue),
        },
      },
      workgroups,
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.weights.destroy();
    this.bias.destroy();
    this.alpha.destroy();
  }
}

/** Per-output-channel values (bias, PReLU slopes) padded to whole vec4 groups, zeros if absent. */
function padVec4(values: Float32Array | undefined, count: number, wC4: number): Float32Array {
  const out = new Float32Array(wC4 * 4);
  if (values) out.set(values.subarray(0, count));
  return out;
}

/** A storage buffer holding a layer's constant data; the layer destroys it in dispose(). */
function uploadConstant(ctx: KernelContext, data: Float32Array, label: string): GPUBuffer {
  const buf = ctx.device.createBuffer({
    label,
    size: Math.max(16, data.byteLength),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  });
  ctx.device.queue.writeBuffer(buf, 0, data as Float32Array<ArrayBuffer>);
  return buf;
}

/**
 * The checks every convolution layer makes on its constants: a 4-D weight shape (named by `layout`,
 * e.g. "[kh, kw, cin, cout]") that the data fills, and bias / PReLU slopes with one value per
 * output channel.
 */
export function checkLayerConstants(
  op: string,
  weights: Float32Array,
  shape: readonly number[],
  layout: string,
  coutAxis: number,
  o: { bias?: Float32Array; activation?: Activation; prelu?: Float32Array },
): void {
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new KernelError(op, `weight shape ${fmtShape(shape)} must be ${layout}`);
  }
  if (weights.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new KernelError(op, `${weights.length} weights do not fill shape ${fmtShape(shape)}`);
  }
  const cout = shape[coutAxis];
  if (o.bias && o.bias.length !== cout) {
    throw new KernelError(op, `bias has ${o.bias.length} values for ${cout} output channels`);
  }
  if (o.activation === 'prelu' && o.prelu?.length !== cout) {
    throw new KernelError(op, `prelu needs ${cout} slopes, got ${o.prelu?.length ?? 0}`);
  }
}

/**
 * The blocking of one convolution dispatch: the compile tier the layer's family has earned by the
 * multiply-adds it has run (heavy when the caller forced a blocking), the adapter's blocking for that
 * tier with the forced fields on top, and the channel block the weights were packed with — which the
 * light CPU blocking instead reads one group at a time (same summation order, same outputs).
 */
export function dispatchTiling(
  ctx: KernelContext,
  constants: ConvConstants,
  forced: Partial<ConvTiling> | undefined,
  family: string,
  macs: number,
  choose: (profile: AdapterProfile, tier: CompileTier) => ConvTiling,
): ConvTiling {
  const tier = forced ? 'heavy' : compileTier(ctx.device, family, macs, CONV_HEAVY_AFTER_MACS);
  const tiling = { ...choose(adapterProfile(ctx.device.adapterInfo), tier), ...forced };
  if (tier === 'heavy') tiling.cb = constants.cb;
  return tiling;
}
