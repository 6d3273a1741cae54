// Page half of cases/esrgan.ts: one whole-image call (no tiling, as UpscalerJS without patchSize).
import { KernelContext, Tensor } from '@avatarme/kernels';
import { EsrganNet } from '@avatarme/nets/esrgan/esrgan.ts';
import { esrganModel, esrganModelUrl, toModelRange } from '@avatarme/nets/esrgan/registry.ts';
import { registerUpscalerLayers } from '@avatarme/nets/esrgan/tfjs-layers.ts';
import * as tfl from '@tensorflow/tfjs-layers';
import { randomArray } from '@avatarme/testing/page';
import { timeRuns, type PageBenchFn } from '../page/timing.ts';
import { tf, tfWebGpu, timeTf } from '../page/tfjs.ts';

export interface EsrganArgs {
  model: string;
  scale: number;
  size: number;
}

const input = (a: EsrganArgs) =>
  toModelRange(randomArray(a.size * a.size * 3, 1, 0, 255), esrganModel(a.model, a.scale));

export const esrganOurs: PageBenchFn<EsrganArgs> = async (device, req) => {
  const a = req.args;
  const ctx = new KernelContext(device);
  const net = await EsrganNet.load(ctx, a.model, a.scale);
  const x = Tensor.fromArray(ctx, input(a), [1, a.size, a.size, 3], 'bench.x');
  try {
    const result = await timeRuns(req, async () => {
      const y = net.run(x);
      await ctx.finish();
      y.dispose();
    });
    const s = net.graph.lastRun!;
    console.log(
      `esrgan ours: planned activations ${(s.plannedPeakBytes / 2 ** 20).toFixed(1)} MiB, ${s.dispatches} dispatches`,
    );
    return result;
  } finally {
    x.dispose();
    net.dispose();
    ctx.dispose();
  }
};

export const esrganTf: PageBenchFn<EsrganArgs> = async (_device, req) => {
  const a = req.args;
  await tfWebGpu();
  registerUpscalerLayers(tf, tfl, a.scale);
  const model = await tfl.loadLayersModel(esrganModelUrl(esrganModel(a.model, a.scale)));
  const x = tf.tensor4d(input(a), [1, a.size, a.size, 3]);
  try {
    return await timeTf(req, () => model.predict(x) as tf.Tensor);
  } finally {
    x.dispose();
    model.dispose();
  }
};
