import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import type { Padding } from '../core/types.ts';
import source from './backward-data.wgsl?raw';
import { convOutputSize, pair, resolvePadding, type ConvGeometry } from './geometry.ts';
import { checkLayerConstants } from './layer.ts';

export interface Conv2dBackwardDataOptions {
  stride?: number | [number, number];
  dilation?: number | [number, number];
  /** The forward convolution's padding; it must have zero-filled its border. */
  padding?: Padding;
  groups?: number;
  label?: string;
}

/** backward-data.wgsl's MODE: dense, depthwise with multiplier 1, any other grouping. */
export function backwardDataMode(groups: number, cin: number, cout: number): 0 | 1 | 2 {
  if (groups === 1) return 0;
  return groups === cin && cout === cin ? 1 : 2;
}

/** The weights as backward-data.wgsl reads them for its MODE (see the .wgsl), pad lanes zero. */
export function packBackwardDataWeights(hwio: Float32Array, shape: readonly number[], mode: 0 | 1 | 2) {
  const [kh, kw, cinPerGroup, cout] = shape;
  const taps = kh * kw;
  if (mode === 2) {
    const out = new Float32Array(Math.ceil(hwio.length / 4) * 4);
    out.set(hwio);
    return out;
  }
  if (mode === 1) {
    const c4 = Math.ceil(cout / 4);
    const out = new Float32Array(taps * c4 * 4);
    for (let t = 0; t < taps; t++) out.set(hwio.subarray(t * cout, (t + 1) * cout), t * c4 * 4);
    return out;
  }
  const cin4 = Math.ceil(cinPerGroup / 4);
  const cout4 = Math.ceil(cout / 4);
  const out = new Float32Array(taps * cin4 * cout4 * 4 * 4);
  for (let t = 0; t < taps; t++)
    for (let ci = 0; ci < cinPerGroup; ci++)
      for (let co = 0; co < cout; co++)
        out[((t * cin4 + (ci >> 2)) * cout4 * 4 + co) * 4 + (ci & 3)] =
          hwio[(t * cinPerGroup + ci) * cout + co];
  return out;
}

/**
 * The input gradient ("backward data") of a zero-padded convolution, dx = ∂(Σ dy·conv(x))/∂x, with
 * the weights on the GPU: the transposed convolution of dy with the same HWIO weights, for any
 * stride, dilation and grouping (depthwise included). Only the linear part: the caller applies the
 * epilogue's adjoint (activation derivative, scale) to dy first; bias and a folded batch norm change
 * nothing but the weights given here.
 */
export class Conv2dBackwardData {
  readonly stride: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  private readonly mode: 0 | 1 | 2;
  private readonly weights: GPUBuffer;
  private disposed = false;

  private constructor(
    private readonly ctx: KernelContext,
    readonly weightShape: readonly number[],
    hwio: Float32Array,
    readonly options: Conv2dBackwardDataOptions,
  ) {
    this.stride = pair(options.stride, 1);
    this.dilation = pair(options.dilation, 1);
    this.groups = options.groups ?? 1;
    const [, , cinPerGroup, cout] = weightShape;
    this.mode = backwardDataMode(this.groups, cinPerGroup * this.groups, cout);
    const packed = packBackwardDataWeights(hwio, weightShape, this.mode);
    this.weights = ctx.device.createBuffer({
      label: `${this.label}.weights`,
      size: Math.max(16, packed.byteLength),
      usage: GPUBufferUsage.STORAGE,
      mappedAtCreation: true,
    });
    new Float32Array(this.weights.getMappedRange()).set(packed);
    this.weights.unmap();
  }

  static create(
    ctx: KernelContext,
    hwio: Float32Array,
    shape: readonly number[],
    options: Conv2dBackwardDataOptions = {},
  ): Conv2dBackwardData {
    const op = options.label ?? 'conv2dBackwardData';
    checkLayerConstants(op, hwio, shape, '[kh, kw, cin / groups, cout]', 3, {});
    const groups = options.groups ?? 1;
    const [, , , cout] = shape;
    if (!Number.isInteger(groups) || groups < 1 || cout % groups !== 0) {
      throw new KernelError(op, `groups ${groups} must divide the ${cout} output channels`);
    }
    const all = [...pair(options.stride, 1), ...pair(options.dilation, 1)];
    if (!all.every((v) => Number.isInteger(v) && v > 0)) {
      throw new KernelError(
        op,
        `stride ${JSON.stringify(options.stride)} and dilation ${JSON.stringify(options.dilation)} must be positive integers`,
      );
    }
    return new Conv2dBackwardData(ctx, shape, hwio, options);
  }

  private get label(): string {
    return this.options.label ?? 'conv2dBackwardData';
  }

  private geometry(): ConvGeometry {
    const [kh, kw] = this.weightShape;
    const [strideY, strideX] = this.stride;
    const [dilationY, dilationX] = this.dilation;
    return { kh, kw, strideY, strideX, dilationY, dilationX };
  }

  /** dx for the forward input shape `xShape`, given dy of the forward output's shape. */
  run(dy: Tensor, xShape: Shape4): Tensor {
    const op = this.label;
    if (this.disposed) throw new KernelError(op, 'layer was disposed');
    dy.assertAlive(op);
    const [kh, kw, cinPerGroup, cout] = this.weightShape;
    const [n, h, w, cin] = xShape;
    if (cin !== cinPerGroup * this.groups) {
      throw new KernelError(
        op,
        `input ${fmtShape(xShape)} has ${cin} channels, weights ${fmtShape(this.weightShape)} with groups ${this.groups} expect ${cinPerGroup * this.groups}`,
      );
    }
    const g = this.geometry();
    const pads = resolvePadding(this.options.padding ?? 'valid', h, w, g);
    const [oh, ow] = convOutputSize(op, h, w, pads, g);
    const expected = [n, oh, ow, cout];
    if (fmtShape(dy.shape) !== fmtShape(expected)) {
      throw new KernelError(
        op,
        `dy ${fmtShape(dy.shape)} is not the output ${fmtShape(expected)} of input ${fmtShape(xShape)}`,
      );
    }
    const dx = Tensor.empty(this.ctx, xShape, op);
    const count = dx.vec4Count;
    this.ctx.dispatchFlat(
      this.ctx.program('conv2dBackwardData', source, { MODE: this.mode }),
      {
        dy,
        w: this.weights,
        dx,
        u: {
          count,
          in_h: h,
          in_w: w,
          in_c: cin,
          in_c4: dx.c4,
          out_h: oh,
          out_w: ow,
          out_c: cout,
          out_c4: dy.c4,
          kh,
          kw,
          stride_y: g.strideY,
          stride_x: g.strideX,
          dil_y: g.dilationY,
          dil_x: g.dilationX,
          pad_t: pads[0],
          pad_l: pads[2],
          cin_per_group: cinPerGroup,
          cout_per_group: cout / this.groups,
        },
      },
      count,
    );
    return dx;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.weights.destroy();
  }
}
