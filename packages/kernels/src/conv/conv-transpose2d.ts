import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import { pad } from '../pad/pad.ts';
import { packConvWeights } from './conv2d.ts';
import source from './conv-transpose2d.wgsl?raw';
import { convTransposeOutputSize, pair } from './geometry.ts';
import {
  ACT_CODE,
  CONV_INCLUDES,
  ConvConstants,
  checkLayerConstants,
  dispatchTiling,
  type EpilogueOptions,
} from './layer.ts';
import { chooseConvTiling, type ConvTiling } from './tiling.ts';

export interface ConvTranspose2dOptions extends Pick<
  EpilogueOptions,
  'bias' | 'activation' | 'leakySlope' | 'prelu'
> {
  stride?: number | [number, number];
  /** PyTorch semantics: n, or [top, bottom, left, right] rows/columns cropped from the full output. */
  padding?: number | [number, number, number, number];
  /** Extra rows/columns at the bottom/right (PyTorch output_padding), each below the stride. */
  outputPadding?: number | [number, number];
  /** Override the blocking chosen for the adapter (tests run both profiles). */
  tiling?: Partial<ConvTiling>;
  label?: string;
}

/** PyTorch ConvTranspose2d weights [cin, cout, kh, kw] (IOHW) to TF.js conv2dTranspose's [kh, kw, cout, cin]. */
export function torchConvTransposeWeightsToTf(
  iohw: Float32Array,
  shape: readonly number[],
): { weights: Float32Array; shape: [number, number, number, number] } {
  const [cin, cout, kh, kw] = shape;
  if (shape.length !== 4 || iohw.length !== cin * cout * kh * kw) {
    throw new KernelError(
      'torchConvTransposeWeightsToTf',
      `${iohw.length} weights do not fill [cin, cout, kh, kw] ${fmtShape(shape)}`,
    );
  }
  const out = new Float32Array(iohw.length);
  for (let ci = 0; ci < cin; ci++)
    for (let co = 0; co < cout; co++)
      for (let t = 0; t < kh * kw; t++)
        out[(t * cout + co) * cin + ci] = iohw[(ci * cout + co) * kh * kw + t];
  return { weights: out, shape: [kh, kw, cout, cin] };
}

/** [kh, kw, cout, cin] → HWIO [kh, kw, cin, cout], the layout packConvWeights takes. */
function tfTransposeFilterToHwio(f: Float32Array, [kh, kw, cout, cin]: readonly number[]): Float32Array {
  const out = new Float32Array(f.length);
  for (let t = 0; t < kh * kw; t++)
    for (let co = 0; co < cout; co++)
      for (let ci = 0; ci < cin; ci++) out[(t * cin + ci) * cout + co] = f[(t * cout + co) * cin + ci];
  return out;
}

/**
 * A transposed convolution layer (PyTorch ConvTranspose2d / TF conv2dTranspose) with its weights on
 * the GPU. Weights are TF.js's [kh, kw, cout, cin]; convert PyTorch's with
 * torchConvTransposeWeightsToTf. Computed as a gather per output phase (see the .wgsl), so no zeros
 * are inserted and no product with an inserted zero is computed.
 */
export class ConvTranspose2d {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly stride: [number, number];
  readonly padding: [number, number, number, number];
  readonly outputPadding: [number, number];
  private readonly constants: ConvConstants;

  private constructor(
    private ctx: KernelContext,
    readonly weightShape: readonly number[],
    filter: Float32Array,
    readonly options: ConvTranspose2dOptions,
  ) {
    const label = options.label ?? 'convTranspose2d';
    const [, , cout, cin] = weightShape;
    this.inChannels = cin;
    this.outChannels = cout;
    this.stride = pair(options.stride, 1);
    const p = options.padding ?? 0;
    this.padding = typeof p === 'number' ? [p, p, p, p] : [p[0], p[1], p[2], p[3]];
    this.outputPadding = pair(options.outputPadding, 0);
    const hwioShape = [weightShape[0], weightShape[1], cin, cout];
    this.constants = new ConvConstants(ctx, label, weightShape, cout, options, (wC4) =>
      packConvWeights(tfTransposeFilterToHwio(filter, weightShape), hwioShape, wC4),
    );
  }

  static create(
    ctx: KernelContext,
    weights: Float32Array,
    shape: readonly number[],
    options: ConvTranspose2dOptions = {},
  ): ConvTranspose2d {
    const op = options.label ?? 'convTranspose2d';
    checkLayerConstants(op, weights, shape, '[kh, kw, cout, cin]', 2, options);
    const stride = pair(options.stride, 1);
    const outPad = pair(options.outputPadding, 0);
    const p = options.padding ?? 0;
    const pads = typeof p === 'number' ? [p, p, p, p] : p;
    if (!stride.every((s) => Number.isInteger(s) && s > 0)) {
      throw new KernelError(op, `stride ${JSON.stringify(options.stride)} must be positive integers`);
    }
    if (pads.length !== 4 || !pads.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new KernelError(op, `padding ${JSON.stringify(options.padding)} must be non-negative integers`);
    }
    if (!outPad.every((v, i) => Number.isInteger(v) && v >= 0 && v < stride[i])) {
      throw new KernelError(
        op,
        `outputPadding ${JSON.stringify(options.outputPadding)} must be non-negative integers below the stride [${stride.join(', ')}]`,
      );
    }
    return new ConvTranspose2d(ctx, shape, weights, options);
  }

  outputShape(input: readonly number[]): [number, number, number, number] {
    const [n, h, w] = input;
    const [kh, kw] = this.weightShape;
    const [pt, pb, pl, pr] = this.padding;
    const oh = convTransposeOutputSize(h, kh, this.stride[0], pt, pb, this.outputPadding[0]);
    const ow = convTransposeOutputSize(w, kw, this.stride[1], pl, pr, this.outputPadding[1]);
    if (oh <= 0 || ow <= 0) {
      throw new KernelError(
        this.options.label ?? 'convTranspose2d',
        `input ${fmtShape(input)} with padding [${this.padding.join(', ')}] gives an empty ${oh}×${ow} output`,
      );
    }
    return [n, oh, ow, this.outChannels];
  }

  run(input: Tensor): Tensor {
    const op = this.options.label ?? 'convTranspose2d';
    this.constants.checkInput(op, input, this.inChannels, this.weightShape);
    const [kh, kw] = this.weightShape;
    const [sy, sx] = this.stride;
    const [pt, , pl] = this.padding;
    const outShape = this.outputShape(input.shape);
    const [n, oh, ow] = outShape;
    const [, h, w] = input.shape;

    // Output columns per phase rx: q from ceil((pl - rx) / sx) (at least 0) to (ow - 1 + pl - rx) / sx.
    let columns = 0;
    for (let rx = 0; rx < sx; rx++) {
      const lo = Math.max(0, Math.ceil((pl - rx) / sx));
      columns = Math.max(columns, Math.floor((ow - 1 + pl - rx) / sx) - lo + 1);
    }
    // Each output pixel gathers about kh·kw / (sy·sx) taps.
    const tiling = dispatchTiling(
      this.ctx,
      this.constants,
      this.options.tiling,
      `conv-transpose2d.${kh}x${kw}s${sy}x${sx}`,
      (n * oh * ow * this.outChannels * this.inChannels * kh * kw) / (sy * sx),
      (profile, tier) => chooseConvTiling(1, columns, Math.ceil(this.outChannels / 4), profile, tier),
    );
    const blocksX = Math.ceil(columns / tiling.px);

    // Zero border so that every tap of every computed pixel reads inside the buffer (see the .wgsl).
    const tapY0 = Math.ceil(kh / sy) - 1;
    const tapX0 = Math.ceil(kw / sx) - 1;
    const lastQy = Math.floor((oh - 1 + pt) / sy);
    const lastQx = Math.ceil(pl / sx) + blocksX * tiling.px - 1;
    const src = pad(
      this.ctx,
      input,
      {
        top: tapY0,
        bottom: 0,
        left: tapX0,
        right: 0,
        mode: 'zero',
        minHeight: Math.max(h + tapY0, lastQy + tapY0 + 1),
        minWidth: Math.max(w + tapX0, lastQx + tapX0 + 1),
      },
      `${op}.pad`,
    );

    const out = Tensor.empty(this.ctx, outShape, op);
    const coBlocks = this.constants.wC4 / tiling.cb;
    const program = this.ctx.program(
      'convTranspose2d',
      source,
      {
        ACT: ACT_CODE[this.options.activation ?? 'linear'],
        HAS_RESIDUAL: false,
        PX: tiling.px,
        CB: tiling.cb,
        WX: tiling.wx,
        WY: tiling.wy,
      },
      CONV_INCLUDES,
    );
    // Only the options of a transposed layer reach the epilogue: no clamp bounds, beta 1.
    const { bias, activation, leakySlope, prelu } = this.options;
    this.constants.dispatch(
      this.ctx,
      program,
      { x: src, y: out },
      {
        kh,
        kw,
        stride_y: sy,
        stride_x: sx,
        pad_t: pt,
        pad_l: pl,
        tap_y0: tapY0,
        tap_x0: tapX0,
        co_blocks: coBlocks,
      },
      { bias, activation, leakySlope, prelu },
      [Math.ceil(blocksX / tiling.wx), Math.ceil(oh / tiling.wy), n * sx * coBlocks],
    );
    src.dispose();
    return out;
  }

  dispose(): void {
    this.constants.dispose();
  }
}
