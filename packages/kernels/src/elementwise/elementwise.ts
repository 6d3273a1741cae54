import type { KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import binarySource from './binary.wgsl?raw';
import { channelParams } from './channel-params.ts';
import unarySource from './unary.wgsl?raw';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max';
export type UnaryOp =
  'relu' | 'relu6' | 'leakyRelu' | 'prelu' | 'sigmoid' | 'tanh' | 'exp' | 'abs' | 'neg' | 'sqrt' | 'square';

const BINARY_CODE: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3, min: 4, max: 5 };
const UNARY_CODE: Record<UnaryOp, number> = {
  relu: 0,
  relu6: 1,
  leakyRelu: 2,
  prelu: 3,
  sigmoid: 4,
  tanh: 5,
  exp: 6,
  abs: 7,
  neg: 8,
  sqrt: 9,
  square: 10,
};

/** Default leaky-ReLU slope, the same as Conv2d's fused activation (TF.js's tf.leakyRelu default). */
export const DEFAULT_LEAKY_SLOPE = 0.2;

/** How b is read: 0 a's shape, 1 per channel, 2 one value, 3 a number, 4 per pixel (see binary.wgsl). */
type Broadcast = { mode: 0 | 1 | 2 | 3 | 4; sampleStride: number };

/** How b broadcasts against a, or a KernelError naming both shapes. */
export function binaryBroadcast(
  op: string,
  aShape: readonly number[],
  b: readonly number[] | number,
): Broadcast {
  if (typeof b === 'number') return { mode: 3, sampleStride: 0 };
  const [n, h, w, c] = aShape;
  const [bn, bh, bw, bc] = b;
  if (bn === n && bh === h && bw === w && bc === c) return { mode: 0, sampleStride: 0 };
  if (bn === 1 && bh === 1 && bw === 1 && bc === 1) return { mode: 2, sampleStride: 0 };
  if (bh === 1 && bw === 1 && bc === c && (bn === 1 || bn === n)) {
    return { mode: 1, sampleStride: bn === 1 ? 0 : Math.ceil(c / 4) };
  }
  if (bn === n && bh === h && bw === w && bc === 1) return { mode: 4, sampleStride: 0 };
  throw new KernelError(
    op,
    `a ${fmtShape(aShape)} and b ${fmtShape(b)} do not broadcast: b must be a's shape, [1, 1, 1, ${c}], [${n}, 1, 1, ${c}], [${n}, ${h}, ${w}, 1], [1, 1, 1, 1] or a number`,
  );
}

/**
 * y = a ⊕ b. b is a's shape, or broadcasts: per channel [1|N, 1, 1, C], per pixel [N, H, W, 1], one
 * value [1, 1, 1, 1], or a number (see binaryBroadcast).
 */
export function binary(ctx: KernelContext, op: BinaryOp, a: Tensor, b: Tensor | number): Tensor {
  const label = `binary.${op}`;
  if (!(op in BINARY_CODE)) throw new KernelError('binary', `unknown op "${op}"`);
  a.assertAlive(label);
  if (typeof b !== 'number') b.assertAlive(label);
  const { mode, sampleStride } = binaryBroadcast(label, a.shape, typeof b === 'number' ? b : b.shape);
  const y = Tensor.empty(ctx, a.shape, label);
  const count = a.vec4Count;
  ctx.dispatchFlat(
    ctx.program('binary', binarySource, { OP: BINARY_CODE[op] }),
    {
      a,
      b: typeof b === 'number' ? ctx.emptyBuffer : b,
      y,
      u: {
        count,
        c4: a.c4,
        c: a.c,
        sample_vec4s: a.h * a.w * a.c4,
        b_mode: mode,
        b_sample_stride: sampleStride,
        scalar: typeof b === 'number' ? b : 0,
      },
    },
    count,
  );
  return y;
}

/** y = f(x). alpha: leaky-ReLU slope (default 0.2); slopes: one PReLU slope per channel. */
export function unary(
  ctx: KernelContext,
  op: UnaryOp,
  x: Tensor,
  opts: { alpha?: number; slopes?: Float32Array } = {},
): Tensor {
  const label = `unary.${op}`;
  if (!(op in UNARY_CODE)) throw new KernelError('unary', `unknown op "${op}"`);
  x.assertAlive(label);
  if (op === 'prelu' && opts.slopes?.length !== x.c) {
    throw new KernelError(
      label,
      `input ${fmtShape(x.shape)} needs ${x.c} slopes, got ${opts.slopes?.length ?? 0}`,
    );
  }
  const y = Tensor.empty(ctx, x.shape, label);
  const count = x.vec4Count;
  ctx.dispatchFlat(
    ctx.program('unary', unarySource, { OP: UNARY_CODE[op] }),
    {
      x,
      slopes: op === 'prelu' ? channelParams(ctx.device, opts.slopes!, `${label}.slopes`) : ctx.emptyBuffer,
      y,
      u: { count, c4: x.c4, c: x.c, alpha: opts.alpha ?? DEFAULT_LEAKY_SLOPE },
    },
    count,
  );
  return y;
}
