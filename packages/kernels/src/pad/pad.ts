import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import type { PadMode } from '../core/types.ts';
import source from './pad.wgsl?raw';

export type { PadMode };
const MODE_CODE: Record<PadMode, number> = { zero: 0, reflect: 1, replicate: 2 };

export interface PadSpec {
  top: number;
  bottom: number;
  left: number;
  right: number;
  mode: PadMode;
  /** Mode 'zero' only: the value of the border (default 0; ONNX Pad's constant_value). */
  value?: number;
  /** Allocate at least this many rows/columns; rows/columns past the padded image are zero. */
  minHeight?: number;
  minWidth?: number;
}

function checkPad(op: string, shape: readonly number[], spec: PadSpec): void {
  const [, h, w] = shape;
  const pads = [spec.top, spec.bottom, spec.left, spec.right];
  if (pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new KernelError(op, `padding [${pads.join(', ')}] must be non-negative integers`);
  }
  if (!(spec.mode in MODE_CODE)) throw new KernelError(op, `unknown padding mode "${spec.mode}"`);
  if (spec.value !== undefined && (spec.mode !== 'zero' || !Number.isFinite(spec.value))) {
    throw new KernelError(op, `a border value (${spec.value}) needs mode 'zero' and a finite number`);
  }
  if (spec.mode === 'reflect' && (spec.top >= h || spec.bottom >= h || spec.left >= w || spec.right >= w)) {
    throw new KernelError(
      op,
      `reflect padding [${pads.join(', ')}] must be smaller than the input's height and width (input ${fmtShape(shape)})`,
    );
  }
}

/** Pads H and W of an NHWC tensor; returns a new tensor (the input is left alone). */
export function pad(ctx: KernelContext, input: Tensor, spec: PadSpec, label = 'pad'): Tensor {
  input.assertAlive(label);
  checkPad(label, input.shape, spec);
  const [n, h, w, c] = input.shape;
  const fillH = h + spec.top + spec.bottom;
  const fillW = w + spec.left + spec.right;
  const outH = Math.max(fillH, spec.minHeight ?? 0);
  const outW = Math.max(fillW, spec.minWidth ?? 0);
  const out = Tensor.empty(ctx, [n, outH, outW, c], label);
  const count = out.vec4Count;
  ctx.dispatchFlat(
    ctx.program('pad', source),
    {
      src: input,
      dst: out,
      u: {
        in_h: h,
        in_w: w,
        c4: input.c4,
        c,
        out_h: outH,
        out_w: outW,
        top: spec.top,
        left: spec.left,
        fill_h: fillH,
        fill_w: fillW,
        mode: MODE_CODE[spec.mode],
        count,
        value: spec.value ?? 0,
      },
    },
    count,
  );
  return out;
}
