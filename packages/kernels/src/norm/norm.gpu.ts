// Page half of norm.test.ts: runs in headless Chromium with a real GPUDevice.
import { Conv2d } from '../conv/conv2d.ts';
import { KernelContext } from '../core/context.ts';
import { Tensor, type Shape4 } from '../core/tensor.ts';
import { runPoisoned, type LimitOverrides } from '../testing/readback.ts';
import { batchNorm, foldBatchNorm, instanceNorm, type BatchNormParams, type NormActivation } from './norm.ts';
import { instanceNormReference } from './reference.ts';

export interface InstanceNormCase {
  x: Float32Array;
  shape: Shape4;
  eps?: number;
  gamma?: Float32Array;
  beta?: Float32Array;
  activation?: NormActivation;
  limits?: LimitOverrides;
}

export function runInstanceNorm(device: GPUDevice, c: InstanceNormCase) {
  return runPoisoned(
    device,
    c,
    () => c.shape,
    (ctx, x) => instanceNorm(ctx, x, { eps: c.eps, gamma: c.gamma, beta: c.beta, activation: c.activation }),
    // Three: on a 1×1 image the mean and variance tensors take buffers of the output's size too.
    3,
  );
}

export function runBatchNorm(
  device: GPUDevice,
  c: { x: Float32Array; shape: Shape4; p: BatchNormParams & { activation?: NormActivation } },
) {
  return runPoisoned(
    device,
    c,
    () => c.shape,
    (ctx, x) => batchNorm(ctx, x, c.p),
  );
}

/** conv → batchNorm on the GPU, and the conv with the BN folded into its weights. */
export async function runFoldedConv(
  device: GPUDevice,
  c: {
    x: Float32Array;
    shape: Shape4;
    w: Float32Array;
    wShape: number[];
    bias: Float32Array;
    bn: BatchNormParams;
  },
) {
  const ctx = new KernelContext(device);
  const x = Tensor.fromArray(ctx, c.x, c.shape, 'x');
  const conv = Conv2d.create(ctx, c.w, c.wShape, { bias: c.bias, padding: 'same' });
  const convOut = conv.run(x);
  const unfolded = batchNorm(ctx, convOut, c.bn);
  const f = foldBatchNorm(c.w, c.wShape, c.bias, c.bn);
  const folded = Conv2d.create(ctx, f.weights, c.wShape, { bias: f.bias, padding: 'same' });
  const foldedOut = folded.run(x);
  const result = { unfolded: await unfolded.read(), folded: await foldedOut.read() };
  for (const t of [x, convOut, unfolded, foldedOut]) t.dispose();
  conv.dispose();
  folded.dispose();
  ctx.dispose();
  return result;
}

/**
 * Instance norm of a 1536×1536 image around 100 ± 1 (sliding-window patch size), checked in the page
 * against the float64 reference so that 28 MB need not cross HTTP.
 */
export async function runLargeInstanceNorm(device: GPUDevice, shape: Shape4) {
  const ctx = new KernelContext(device);
  const len = shape.reduce((p, q) => p * q, 1);
  const data = new Float32Array(len);
  let s = 777;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = 100 + (s / 2 ** 32) * 2 - 1;
  }
  const x = Tensor.fromArray(ctx, data, shape, 'x');
  const y = instanceNorm(ctx, x);
  const got = await y.read();
  const ref = instanceNormReference(data, shape, { eps: 1e-5 });
  let worst = 0;
  for (let i = 0; i < len; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]));
  for (const t of [x, y]) t.dispose();
  ctx.dispose();
  return { worst };
}
