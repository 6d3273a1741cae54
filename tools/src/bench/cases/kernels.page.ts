// Page half of cases/kernels.ts: each export times one implementation of one kernel row.
import { Conv2d, ConvTranspose2d, KernelContext, Tensor, resize, type Shape4 } from '@avatarme/kernels';
import { randomArray } from '@avatarme/testing/page';
import { timeRuns, type PageBenchFn, type TimingResult } from '../page/timing.ts';
import { tf, tfWebGpu, timeTf } from '../page/tfjs.ts';

export { conv2dOrt, convTransposeOrt, bilinearOrt } from './ort-kernels.page.ts';

export interface ConvArgs {
  x: Shape4;
  /** [kh, kw, cin, cout] (HWIO) for conv2d; depthwise uses groups = cin = cout. */
  k: [number, number, number, number];
  stride: number;
  depthwise?: boolean;
}

export interface ConvTransposeArgs {
  x: Shape4;
  /** TF.js conv2dTranspose filter [kh, kw, cout, cin]. */
  k: [number, number, number, number];
  stride: number;
  /** PyTorch padding; TF.js runs 'same', which is the same crop for these shapes. */
  padding: number;
}

export interface ResizeArgs {
  x: Shape4;
  factor: number;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Our kernels on the harness's device: `record` queues one call, the output is freed after each run. */
async function timeOurs(
  device: GPUDevice,
  req: Parameters<PageBenchFn>[1],
  xShape: Shape4,
  build: (ctx: KernelContext) => { record: (x: Tensor) => Tensor; dispose: () => void },
): Promise<TimingResult> {
  const ctx = new KernelContext(device);
  const x = Tensor.fromArray(ctx, randomArray(size(xShape), 1), xShape, 'bench.x');
  const layer = build(ctx);
  try {
    return await timeRuns(req, async () => {
      const y = layer.record(x);
      await ctx.finish();
      y.dispose();
    });
  } finally {
    layer.dispose();
    x.dispose();
    ctx.dispose();
  }
}

export const conv2dOurs: PageBenchFn<ConvArgs> = (device, req) => {
  const { x, k, stride, depthwise } = req.args;
  const weights = randomArray(depthwise ? k[0] * k[1] * k[3] : size(k), 2, -0.1, 0.1);
  const shape = depthwise ? [k[0], k[1], 1, k[3]] : k;
  return timeOurs(device, req, x, (ctx) => {
    const conv = Conv2d.create(ctx, weights, shape, {
      stride,
      padding: 'same',
      groups: depthwise ? k[2] : 1,
      label: 'bench',
    });
    return { record: (t) => conv.run(t), dispose: () => conv.dispose() };
  });
};

export const conv2dTf: PageBenchFn<ConvArgs> = async (_device, req) => {
  const { x, k, stride, depthwise } = req.args;
  await tfWebGpu();
  const xt = tf.tensor4d(randomArray(size(x), 1), x);
  const wt = depthwise
    ? tf.tensor4d(randomArray(k[0] * k[1] * k[3], 2, -0.1, 0.1), [k[0], k[1], k[2], 1])
    : tf.tensor4d(randomArray(size(k), 2, -0.1, 0.1), k);
  try {
    return await timeTf(req, () =>
      depthwise ? tf.depthwiseConv2d(xt, wt, stride, 'same') : tf.conv2d(xt, wt, stride, 'same'),
    );
  } finally {
    xt.dispose();
    wt.dispose();
  }
};

export const convTransposeOurs: PageBenchFn<ConvTransposeArgs> = (device, req) => {
  const { x, k, stride, padding } = req.args;
  const weights = randomArray(size(k), 2, -0.1, 0.1);
  return timeOurs(device, req, x, (ctx) => {
    const layer = ConvTranspose2d.create(ctx, weights, k, { stride, padding, label: 'bench' });
    return { record: (t) => layer.run(t), dispose: () => layer.dispose() };
  });
};

export const convTransposeTf: PageBenchFn<ConvTransposeArgs> = async (_device, req) => {
  const { x, k, stride } = req.args;
  await tfWebGpu();
  const xt = tf.tensor4d(randomArray(size(x), 1), x);
  const wt = tf.tensor4d(randomArray(size(k), 2, -0.1, 0.1), k);
  const out: Shape4 = [x[0], x[1] * stride, x[2] * stride, k[2]];
  try {
    return await timeTf(req, () => tf.conv2dTranspose(xt, wt, out, stride, 'same'));
  } finally {
    xt.dispose();
    wt.dispose();
  }
};

export const bilinearOurs: PageBenchFn<ResizeArgs> = (device, req) => {
  const { x, factor } = req.args;
  return timeOurs(device, req, x, (ctx) => ({
    record: (t) => resize(ctx, t, { height: x[1] * factor, width: x[2] * factor, mode: 'bilinear' }),
    dispose: () => {},
  }));
};

export const bilinearTf: PageBenchFn<ResizeArgs> = async (_device, req) => {
  const { x, factor } = req.args;
  await tfWebGpu();
  const xt = tf.tensor4d(randomArray(size(x), 1), x);
  try {
    return await timeTf(req, () => tf.image.resizeBilinear(xt, [x[1] * factor, x[2] * factor]));
  } finally {
    xt.dispose();
  }
};
