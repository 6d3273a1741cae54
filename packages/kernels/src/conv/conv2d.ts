import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import type { PadMode, Padding } from '../core/types.ts';
import { pad } from '../pad/pad.ts';
import denseSource from './conv2d.wgsl?raw';
import depthwiseSource from './depthwise.wgsl?raw';
import groupedSource from './grouped.wgsl?raw';
import { convOutputSize, pair, resolvePadding, type ConvGeometry } from './geometry.ts';
import {
  ACT_CODE,
  CONV_INCLUDES,
  ConvConstants,
  checkLayerConstants,
  dispatchTiling,
  type EpilogueOptions,
} from './layer.ts';
import { chooseConvTiling, chooseDepthwiseTiling, type ConvTiling } from './tiling.ts';

export interface Conv2dOptions extends EpilogueOptions {
  stride?: number | [number, number];
  dilation?: number | [number, number];
  padding?: Padding;
  padMode?: PadMode;
  /** Weights are then [kh, kw, cin / groups, cout]; groups = cin = cout runs the depthwise kernel. */
  groups?: number;
  /** Override the blocking chosen for the adapter (tests run both profiles). */
  tiling?: Partial<ConvTiling>;
  label?: string;
}

/**
 * Which kernel runs a convolution: the mat4x4 dense kernel, the vec4 depthwise kernel (one input
 * channel per output channel), or the lane-gather grouped kernel for every other group count.
 */
export type ConvKind = 'dense' | 'depthwise' | 'grouped';

export function convKind(groups: number, cin: number, cout: number): ConvKind {
  if (groups === 1) return 'dense';
  return groups === cin && cout === cin ? 'depthwise' : 'grouped';
}

const SOURCES: Record<ConvKind, string> = {
  dense: denseSource,
  depthwise: depthwiseSource,
  grouped: groupedSource,
};

/**
 * TF's DepthwiseConv2dNative filter [kh, kw, cin, multiplier] as grouped HWIO weights: output
 * channel ci·multiplier + q reads input channel ci, which is exactly the memory order of
 * [kh, kw, 1, cin·multiplier] with groups = cin, so the data is shared, not copied.
 */
export function depthwiseToGroupedHWIO(
  filter: Float32Array,
  shape: readonly number[],
): { weights: Float32Array; shape: [number, number, number, number]; groups: number } {
  const [kh, kw, cin, multiplier] = shape;
  if (shape.length !== 4 || filter.length !== kh * kw * cin * multiplier) {
    throw new KernelError(
      'depthwiseToGroupedHWIO',
      `filter of ${filter.length} values does not fill [kh, kw, cin, multiplier] ${fmtShape(shape)}`,
    );
  }
  return { weights: filter, shape: [kh, kw, 1, cin * multiplier], groups: cin };
}

/**
 * Packs grouped HWIO weights [kh, kw, group_in, cout] as vec4s [kh·kw][group_in][wC4]: lane j of
 * entry co is output channel 4·co+j (the depthwise kernel's layout when group_in = 1).
 */
export function packGroupedWeights(hwio: Float32Array, shape: readonly number[], wC4: number): Float32Array {
  const [kh, kw, groupIn, cout] = shape;
  const out = new Float32Array(kh * kw * groupIn * wC4 * 4);
  for (let r = 0; r < kh * kw * groupIn; r++) out.set(hwio.subarray(r * cout, (r + 1) * cout), r * wC4 * 4);
  return out;
}

/** Packs HWIO weights into mat4x4 blocks [kh][kw][cin4][wC4], column j = input channel 4·ci+j. */
export function packConvWeights(hwio: Float32Array, shape: readonly number[], wC4: number): Float32Array {
  const [kh, kw, cin, cout] = shape;
  const cin4 = Math.ceil(cin / 4);
  const out = new Float32Array(kh * kw * cin4 * wC4 * 16);
  for (let t = 0; t < kh * kw; t++)
    for (let ci = 0; ci < cin; ci++)
      for (let co = 0; co < cout; co++) {
        const block = (t * cin4 + (ci >> 2)) * wC4 + (co >> 2);
        out[block * 16 + (ci & 3) * 4 + (co & 3)] = hwio[(t * cin + ci) * cout + co];
      }
  return out;
}

/**
 * A convolution layer with its weights on the GPU. Weights are HWIO [kh, kw, cin / groups, cout]
 * (TF.js's layout; convert PyTorch's OIHW before; TF depthwise filters via depthwiseToGroupedHWIO).
 * run() records the pre-pad and the convolution into the context's encoder.
 */
export class Conv2d {
  readonly geometry: ConvGeometry;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  readonly kind: ConvKind;
  private readonly constants: ConvConstants;

  private constructor(
    private ctx: KernelContext,
    readonly weightShape: readonly number[],
    hwio: Float32Array,
    readonly options: Conv2dOptions,
  ) {
    const label = options.label ?? 'conv2d';
    const [kh, kw, groupIn, cout] = weightShape;
    const [strideY, strideX] = pair(options.stride, 1);
    const [dilationY, dilationX] = pair(options.dilation, 1);
    this.geometry = { kh, kw, strideY, strideX, dilationY, dilationX };
    this.groups = options.groups ?? 1;
    this.inChannels = groupIn * this.groups;
    this.outChannels = cout;
    this.kind = convKind(this.groups, this.inChannels, cout);
    const pack = this.kind === 'dense' ? packConvWeights : packGroupedWeights;
    this.constants = new ConvConstants(ctx, label, weightShape, cout, options, (wC4) =>
      pack(hwio, weightShape, wC4),
    );
  }

  static create(
    ctx: KernelContext,
    weights: Float32Array,
    weightShape: readonly number[],
    options: Conv2dOptions = {},
  ): Conv2d {
    const op = options.label ?? 'conv2d';
    checkLayerConstants(op, weights, weightShape, '[kh, kw, cin, cout]', 3, options);
    const [, , , cout] = weightShape;
    const groups = options.groups ?? 1;
    if (!Number.isInteger(groups) || groups < 1 || cout % groups !== 0) {
      throw new KernelError(
        op,
        `groups=${groups} must be a positive integer dividing the ${cout} output channels (weights ${fmtShape(weightShape)})`,
      );
    }
    for (const [name, v] of [
      ['stride', options.stride],
      ['dilation', options.dilation],
    ] as const) {
      const [a, b] = pair(v, 1);
      if (!(Number.isInteger(a) && Number.isInteger(b) && a > 0 && b > 0)) {
        throw new KernelError(op, `${name} ${JSON.stringify(v)} must be positive integers`);
      }
    }
    return new Conv2d(ctx, weightShape, weights, options);
  }

  outputShape(input: readonly number[]): [number, number, number, number] {
    const [n, h, w] = input;
    const pads = resolvePadding(this.options.padding ?? 'valid', h, w, this.geometry);
    const [oh, ow] = convOutputSize(this.options.label ?? 'conv2d', h, w, pads, this.geometry);
    return [n, oh, ow, this.outChannels];
  }

  run(input: Tensor, opts: { residual?: Tensor } = {}): Tensor {
    const op = this.options.label ?? 'conv2d';
    this.constants.checkInput(op, input, this.inChannels, this.weightShape);
    const g = this.geometry;
    const [n, h, w] = input.shape;
    const pads = resolvePadding(this.options.padding ?? 'valid', h, w, g);
    const outShape = this.outputShape(input.shape);
    const [, oh, ow] = outShape;
    if (opts.residual && fmtShape(opts.residual.shape) !== fmtShape(outShape)) {
      throw new KernelError(
        op,
        `residual ${fmtShape(opts.residual.shape)} does not match output ${fmtShape(outShape)}`,
      );
    }
    const outC4 = Math.ceil(this.outChannels / 4);
    const tiling = dispatchTiling(
      this.ctx,
      this.constants,
      this.options.tiling,
      `conv2d.${this.kind}.${g.kh}x${g.kw}`,
      n * oh * ow * this.outChannels * (this.inChannels / this.groups) * g.kh * g.kw,
      (profile, tier) =>
        this.kind === 'depthwise'
          ? chooseDepthwiseTiling(ow, outC4, profile, tier)
          : chooseConvTiling(oh, ow, outC4, profile, tier),
    );

    // Pre-pad so that every tap of every computed pixel is in bounds, including the pixels past the
    // right edge that the last block of a row computes and discards.
    const needW = (Math.ceil(ow / tiling.px) * tiling.px - 1) * g.strideX + (g.kw - 1) * g.dilationX + 1;
    const py = this.kind === 'dense' ? tiling.py : 1;
    const needH = (Math.ceil(oh / py) * py - 1) * g.strideY + (g.kh - 1) * g.dilationY + 1;
    const unpadded = pads.every((p) => p === 0) && needW <= w && needH <= h;
    const src = unpadded
      ? input
      : pad(
          this.ctx,
          input,
          {
            top: pads[0],
            bottom: pads[1],
            left: pads[2],
            right: pads[3],
            mode: this.options.padMode ?? 'zero',
            minHeight: needH,
            minWidth: needW,
          },
          `${op}.pad`,
        );

    const out = Tensor.empty(this.ctx, outShape, op);
    const coBlocks = this.constants.wC4 / tiling.cb;
    const program = this.ctx.program(
      `conv2d.${this.kind}`,
      SOURCES[this.kind],
      {
        ACT: ACT_CODE[this.options.activation ?? 'linear'],
        HAS_RESIDUAL: !!opts.residual,
        PX: tiling.px,
        ...(this.kind === 'dense'
          ? {
              PY: py,
              KW: g.kw,
              SX: g.strideX,
              DX: g.dilationX,
              SPAN: (tiling.px - 1) * g.strideX + (g.kw - 1) * g.dilationX + 1,
            }
          : {}),
        CB: tiling.cb,
        WX: tiling.wx,
        WY: tiling.wy,
      },
      CONV_INCLUDES,
    );
    this.constants.dispatch(
      this.ctx,
      program,
      { x: src, y: out, residual: opts.residual },
      {
        kh: g.kh,
        kw: g.kw,
        stride_y: g.strideY,
        stride_x: g.strideX,
        dil_y: g.dilationY,
        dil_x: g.dilationX,
        group_in: this.inChannels / this.groups,
        group_out: this.outChannels / this.groups,
        co_blocks: coBlocks,
      },
      this.options,
      [
        Math.ceil(Math.ceil(ow / tiling.px) / tiling.wx),
        Math.ceil(Math.ceil(oh / py) / tiling.wy),
        n * coBlocks,
      ],
    );
    if (src !== input) src.dispose();
    return out;
  }

  dispose(): void {
    this.constants.dispose();
  }
}
