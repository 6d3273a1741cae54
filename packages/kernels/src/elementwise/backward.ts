import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import source from './backward.wgsl?raw';
import { channelParams } from './channel-params.ts';
import { DEFAULT_LEAKY_SLOPE } from './elementwise.ts';

/** The activations whose derivative follows from their output (backward.wgsl). */
export type ActivationGradOp = 'relu' | 'relu6' | 'clamp' | 'leakyRelu' | 'prelu' | 'sigmoid' | 'tanh';

const GRAD_CODE: Record<ActivationGradOp | 'min' | 'max', number> = {
  relu: 0,
  relu6: 1,
  clamp: 1,
  leakyRelu: 2,
  prelu: 3,
  sigmoid: 4,
  tanh: 5,
  min: 6,
  max: 7,
};

export interface ActivationGradOptions {
  /** leakyRelu slope (default 0.2). */
  alpha?: number;
  /** prelu: one slope per channel. */
  slopes?: Float32Array;
  /** clamp bounds (default [0, 1]); relu6 is [0, 6]. */
  clampMin?: number;
  clampMax?: number;
}

function sameShape(op: string, a: Tensor, b: Tensor): void {
  if (fmtShape(a.shape) !== fmtShape(b.shape)) {
    throw new KernelError(op, `${fmtShape(a.shape)} and dy ${fmtShape(b.shape)} must have one shape`);
  }
}

/**
 * dx = dy · f'(x) of an activation y = f(x), computed from the output y (see backward.wgsl), so the
 * caller keeps one tensor per activation whether it ran alone or fused into a convolution. Negative
 * leaky/PReLU slopes are refused: then y > 0 no longer tells which side of the kink x was on.
 */
export function activationBackward(
  ctx: KernelContext,
  act: ActivationGradOp,
  y: Tensor,
  dy: Tensor,
  o: ActivationGradOptions = {},
): Tensor {
  const op = `activationBackward.${act}`;
  if (!(act in GRAD_CODE) || act === ('min' as string) || act === ('max' as string)) {
    throw new KernelError('activationBackward', `no derivative for activation "${act}"`);
  }
  y.assertAlive(op);
  dy.assertAlive(op);
  sameShape(op, y, dy);
  const alpha = o.alpha ?? DEFAULT_LEAKY_SLOPE;
  if (act === 'prelu' && o.slopes?.length !== y.c) {
    throw new KernelError(op, `y ${fmtShape(y.shape)} needs ${y.c} slopes, got ${o.slopes?.length ?? 0}`);
  }
  if ((act === 'leakyRelu' && alpha < 0) || (act === 'prelu' && o.slopes!.some((s) => s < 0))) {
    throw new KernelError(op, 'negative slopes are not supported (the output no longer tells the side of 0)');
  }
  const [lo, hi] = act === 'relu6' ? [0, 6] : [o.clampMin ?? 0, o.clampMax ?? 1];
  const dx = Tensor.empty(ctx, y.shape, op);
  const count = y.vec4Count;
  ctx.dispatchFlat(
    ctx.program('elementwiseBackward', source, { OP: GRAD_CODE[act] }),
    {
      y,
      dy,
      p: act === 'prelu' ? channelParams(ctx.device, o.slopes!, `${op}.slopes`) : ctx.emptyBuffer,
      dx,
      u: { count, c4: y.c4, c: y.c, b_mode: 0, a: act === 'leakyRelu' ? alpha : lo, hi },
    },
    count,
  );
  return dx;
}

/**
 * The gradient reaching a of y = min(a, b) or max(a, b): dy where a was chosen (ties go to a), else
 * 0. b is a tensor of a's shape, one value per channel or a number; for a tensor b its own
 * gradient is dy − da.
 */
export function minMaxBackward(
  ctx: KernelContext,
  mode: 'min' | 'max',
  a: Tensor,
  b: Tensor | Float32Array | number,
  dy: Tensor,
): Tensor {
  const op = `minMaxBackward.${mode}`;
  if (mode !== 'min' && mode !== 'max') throw new KernelError('minMaxBackward', `unknown op "${mode}"`);
  a.assertAlive(op);
  dy.assertAlive(op);
  sameShape(op, a, dy);
  let p: GPUBuffer | Tensor = ctx.emptyBuffer;
  let bMode = 3;
  if (b instanceof Tensor) {
    b.assertAlive(op);
    sameShape(op, b, dy);
    [p, bMode] = [b, 0];
  } else if (b instanceof Float32Array) {
    if (b.length !== a.c) {
      throw new KernelError(op, `a ${fmtShape(a.shape)} needs ${a.c} per-channel values, got ${b.length}`);
    }
    [p, bMode] = [channelParams(ctx.device, b, `${op}.b`), 1];
  }
  const dx = Tensor.empty(ctx, a.shape, op);
  const count = a.vec4Count;
  ctx.dispatchFlat(
    ctx.program('elementwiseBackward', source, { OP: GRAD_CODE[mode] }),
    {
      y: a,
      dy,
      p,
      dx,
      u: { count, c4: a.c4, c: a.c, b_mode: bMode, a: typeof b === 'number' ? b : 0, hi: 0 },
    },
    count,
  );
  return dx;
}
