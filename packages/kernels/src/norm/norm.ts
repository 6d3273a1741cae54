import type { Binding, KernelContext } from '../core/context.ts';
import { KernelError, fmtShape } from '../core/errors.ts';
import { Tensor } from '../core/tensor.ts';
import { channelParams } from '../elementwise/channel-params.ts';
import { moments } from '../reduce/moments.ts';
import source from './norm.wgsl?raw';

export const DEFAULT_BN_EPS = 1e-5;

export type NormActivation = 'linear' | 'relu';

export interface BatchNormParams {
  mean: Float32Array;
  variance: Float32Array;
  gamma?: Float32Array;
  beta?: Float32Array;
  /**
   * Default 1e-5, PyTorch BatchNorm2d's (a state_dict does not store it). Keras' default is 1e-3; its
   * model.json stores `epsilon`, so TF importers pass it.
   */
  eps?: number;
}

/** Throws unless every given array has `c` values; `what` names the tensor they belong to. */
function checkChannelArrays(
  op: string,
  what: string,
  c: number,
  arrays: Record<string, Float32Array | undefined>,
): void {
  for (const [name, a] of Object.entries(arrays)) {
    if (a && a.length !== c)
      throw new KernelError(op, `${name} has ${a.length} values for ${what} with ${c} channels`);
  }
}

function applyNorm(
  ctx: KernelContext,
  op: string,
  x: Tensor,
  stats: { mean: Binding; variance: Binding; perSample: boolean },
  o: { eps: number; gamma?: Float32Array; beta?: Float32Array; activation?: NormActivation },
): Tensor {
  if (o.activation !== undefined && o.activation !== 'linear' && o.activation !== 'relu') {
    throw new KernelError(op, `activation "${o.activation}" is not supported (linear or relu)`);
  }
  const y = Tensor.empty(ctx, x.shape, op);
  const count = x.vec4Count;
  ctx.dispatchFlat(
    ctx.program('norm', source),
    {
      x,
      mean: stats.mean,
      variance: stats.variance,
      gamma: o.gamma ? channelParams(ctx.device, o.gamma, `${op}.gamma`) : ctx.emptyBuffer,
      beta: o.beta ? channelParams(ctx.device, o.beta, `${op}.beta`) : ctx.emptyBuffer,
      y,
      u: {
        count,
        c4: x.c4,
        c: x.c,
        sample_vec4s: x.h * x.w * x.c4,
        stats_stride: stats.perSample ? x.c4 : 0,
        eps: o.eps,
        has_gamma: o.gamma ? 1 : 0,
        has_beta: o.beta ? 1 : 0,
        relu: o.activation === 'relu' ? 1 : 0,
      },
    },
    count,
  );
  return y;
}

/**
 * Instance normalisation as PyTorch's InstanceNorm2d: per sample and channel over H×W, biased
 * variance, eps 1e-5 by default, optional affine gamma/beta and a fused ReLU. Statistics come from the
 * two-pass moments reduction (accurate for large images and large mean offsets).
 */
export function instanceNorm(
  ctx: KernelContext,
  x: Tensor,
  opts: { eps?: number; gamma?: Float32Array; beta?: Float32Array; activation?: NormActivation } = {},
): Tensor {
  const op = 'instanceNorm';
  x.assertAlive(op);
  checkChannelArrays(op, `input ${fmtShape(x.shape)}`, x.c, { gamma: opts.gamma, beta: opts.beta });
  const { mean, variance } = moments(ctx, x, { label: op });
  const y = applyNorm(ctx, op, x, { mean, variance, perSample: true }, { ...opts, eps: opts.eps ?? 1e-5 });
  mean.dispose();
  variance.dispose();
  return y;
}

/** Batch normalisation at inference: fixed per-channel mean and variance. */
export function batchNorm(
  ctx: KernelContext,
  x: Tensor,
  p: BatchNormParams & { activation?: NormActivation },
): Tensor {
  const op = 'batchNorm';
  x.assertAlive(op);
  checkChannelArrays(op, `input ${fmtShape(x.shape)}`, x.c, {
    mean: p.mean,
    variance: p.variance,
    gamma: p.gamma,
    beta: p.beta,
  });
  const stats = {
    mean: channelParams(ctx.device, p.mean, `${op}.mean`),
    variance: channelParams(ctx.device, p.variance, `${op}.variance`),
    perSample: false,
  };
  return applyNorm(ctx, op, x, stats, { ...p, eps: p.eps ?? DEFAULT_BN_EPS });
}

/**
 * Folds inference batch norm into the convolution before it (pure TS): with s = gamma / sqrt(var + eps),
 * w'[..., co] = w[..., co] · s[co] and b'[co] = (b[co] - mean[co]) · s[co] + beta[co]. Weights are HWIO
 * (any leading dims; the output channel is last).
 */
export function foldBatchNorm(
  hwio: Float32Array,
  shape: readonly number[],
  bias: Float32Array | undefined,
  bn: BatchNormParams,
): { weights: Float32Array; bias: Float32Array } {
  const cout = shape[shape.length - 1];
  if (hwio.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new KernelError('foldBatchNorm', `${hwio.length} weights do not fill shape ${fmtShape(shape)}`);
  }
  checkChannelArrays('foldBatchNorm', `weights ${fmtShape(shape)}`, cout, {
    bias,
    mean: bn.mean,
    variance: bn.variance,
    gamma: bn.gamma,
    beta: bn.beta,
  });
  const eps = bn.eps ?? DEFAULT_BN_EPS;
  const scale = new Float64Array(cout);
  const outBias = new Float32Array(cout);
  for (let c = 0; c < cout; c++) {
    scale[c] = (bn.gamma?.[c] ?? 1) / Math.sqrt(bn.variance[c] + eps);
    outBias[c] = ((bias?.[c] ?? 0) - bn.mean[c]) * scale[c] + (bn.beta?.[c] ?? 0);
  }
  const weights = new Float32Array(hwio.length);
  for (let i = 0; i < hwio.length; i++) weights[i] = hwio[i] * scale[i % cout];
  return { weights, bias: outBias };
}
