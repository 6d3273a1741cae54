// Page half of cases/pix2pixhd.ts: the whole GlobalGenerator, ours on the kernels and the same graph
// (the TF.js transcription the parity tests use) on TF.js's WebGPU backend, with the same weights.
import { KernelContext, Tensor, type Shape4 } from '@avatarme/kernels';
import { Pix2PixHDGenerator, SafetensorsFile, type Pix2PixHDOptions } from '@avatarme/nets';
import { pix2pixhdTfjs, torchFilterToTf } from '@avatarme/nets/pix2pixhd/reference-tfjs.ts';
import { PIX2PIXHD_DEFAULTS } from '@avatarme/nets/pix2pixhd/architecture.ts';
import { writeSafetensors } from '@avatarme/nets/safetensors/writer.ts';
import { randomArray } from '@avatarme/testing/page';
import { randomPix2PixHDStateDict } from '@avatarme/nets/pix2pixhd/random-weights.ts';
import { timeRuns, type PageBenchFn, type TimingResult } from '../page/timing.ts';
import { tf, tfFinish, tfWebGpu } from '../page/tfjs.ts';

export interface GeneratorArgs {
  options: Partial<Pix2PixHDOptions>;
  x: Shape4;
}

/** Timing plus the activations' peak: bytes allocated during a run beyond what existed before it. */
export type GeneratorResult = TimingResult & { peakActivationBytes: number; weightBytes: number };

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export const generatorOurs: PageBenchFn<GeneratorArgs> = async (device, req): Promise<GeneratorResult> => {
  const { options, x } = req.args;
  const ctx = new KernelContext(device);
  const bytes = writeSafetensors(randomPix2PixHDStateDict(options, { seed: 1 }));
  const gen = Pix2PixHDGenerator.fromSafetensors(
    ctx,
    SafetensorsFile.parse(bytes, 'bench.safetensors'),
    options,
  );
  const input = Tensor.fromArray(ctx, randomArray(size(x), 2), x, 'bench.x');
  let peak = 0;
  try {
    const result = await timeRuns(req, async () => {
      ctx.pool.resetPeak();
      const before = ctx.pool.stats().liveBytes;
      const y = gen.run(input);
      await ctx.finish();
      peak = Math.max(peak, ctx.pool.stats().peakBytes - before);
      y.dispose();
    });
    return { ...result, peakActivationBytes: peak, weightBytes: bytes.byteLength };
  } finally {
    gen.dispose();
    input.dispose();
    ctx.dispose();
  }
};

export const generatorTf: PageBenchFn<GeneratorArgs> = async (_device, req): Promise<GeneratorResult> => {
  const { options, x } = req.args;
  const backend = await tfWebGpu();
  const dict = randomPix2PixHDStateDict(options, { seed: 1 });
  const params = new Map<string, tf.Tensor>();
  let weightBytes = 0;
  for (const [k, t] of Object.entries(dict)) {
    if (t.dtype !== 'F32') continue;
    const torch = tf.tensor(t.data as Float32Array, [...t.shape]);
    // Filters go to TF's layout once, outside the timed runs.
    params.set(k, t.shape.length === 4 ? torchFilterToTf(torch) : torch);
    if (t.shape.length === 4) torch.dispose();
    weightBytes += t.data.byteLength;
  }
  const xt = tf.tensor4d(randomArray(size(x), 2), x);
  const cfg = { ...PIX2PIXHD_DEFAULTS, ...options };
  const graph = () =>
    pix2pixhdTfjs(
      cfg,
      (k) => params.get(k)!,
      xt,
      (k) => params.get(`${k}.weight`) as tf.Tensor4D,
    );
  backend.device.pushErrorScope('validation');
  try {
    const result = await timeRuns(req, async () => {
      const y = graph();
      await tfFinish(backend);
      y.dispose();
    });
    // Peak tensor bytes from one more, untimed run (tf.profile submits and reads timings itself).
    const before = tf.memory().numBytes;
    const info = await tf.profile(graph);
    (info.result as tf.Tensor).dispose();
    const error = await backend.device.popErrorScope();
    if (error) throw new Error(`bench: TF.js WebGPU validation error: ${error.message}`);
    return { ...result, peakActivationBytes: info.peakBytes - before, weightBytes };
  } finally {
    xt.dispose();
    for (const t of params.values()) t.dispose();
  }
};
