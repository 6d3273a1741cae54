// No package roots here: this also runs in Node (the CLI's random-weights command), where the GPU half
// of @avatarme/kernels and @avatarme/nets (WGSL imports) cannot load.
import { rng } from '@avatarme/kernels/core/random.ts';
import { writeSafetensors, type TensorToWrite } from '../safetensors/writer.ts';
import { convLayers, pix2pixhdLayout, type Pix2PixHDOptions } from './architecture.ts';

export interface RandomWeightOptions {
  seed?: number;
  /** Standard deviation of conv weights (pix2pixHD's weights_init: N(0, 0.02)). */
  std?: number;
  /**
   * BatchNorm running statistics: 'fresh' = a new module's (mean 0, variance 1); 'random' = means
   * N(0, 0.1) and variances near the conv's output variance (fan-in · std²), so activations stay O(1)
   * through a deep net and a parity test compares values that are not all near zero.
   */
  runningStats?: 'fresh' | 'random';
}

/** Standard normal samples by Box-Muller from the seeded uniform generator. */
function normal(next: () => number): () => number {
  return () => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
}

/**
 * A pix2pixHD state_dict with seeded random values, as a freshly initialised network would have:
 * conv and transposed-conv weights N(0, std), biases U(±1/√fan_in) (PyTorch's default, which
 * weights_init leaves alone), BatchNorm weight N(1, 0.02) and bias 0, num_batches_tracked I64.
 */
export function randomPix2PixHDStateDict(
  options: Partial<Pix2PixHDOptions>,
  { seed = 1, std = 0.02, runningStats = 'fresh' }: RandomWeightOptions = {},
): Record<string, TensorToWrite> {
  const layout = pix2pixhdLayout(options);
  const next = rng(seed);
  const gauss = normal(next);
  const tensors: Record<string, TensorToWrite> = {};
  const f32 = (shape: number[], f: () => number): TensorToWrite => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = f();
    return { dtype: 'F32', shape, data };
  };
  for (const l of convLayers(layout)) {
    const shape = l.kind === 'conv' ? [l.cout, l.cin, l.k, l.k] : [l.cin, l.cout, l.k, l.k];
    // PyTorch's fan_in is weight.size(1)·kh·kw, for ConvTranspose2d too (size(1) = out channels).
    const fanIn = shape[1] * l.k * l.k;
    const bound = 1 / Math.sqrt(fanIn);
    tensors[`${l.key}.weight`] = f32(shape, () => std * gauss());
    tensors[`${l.key}.bias`] = f32([l.cout], () => bound * (2 * next() - 1));
    if (l.norm && layout.options.norm === 'batch') {
      const convFanIn = (l.kind === 'conv' ? l.cin : l.cin / 4) * l.k * l.k;
      tensors[`${l.norm}.weight`] = f32([l.cout], () => 1 + 0.02 * gauss());
      tensors[`${l.norm}.bias`] = f32([l.cout], () => (runningStats === 'random' ? 0.1 * gauss() : 0));
      tensors[`${l.norm}.running_mean`] = f32([l.cout], () =>
        runningStats === 'random' ? 0.1 * gauss() : 0,
      );
      tensors[`${l.norm}.running_var`] = f32([l.cout], () =>
        runningStats === 'random' ? convFanIn * std * std * (0.25 + 0.75 * next()) : 1,
      );
      tensors[`${l.norm}.num_batches_tracked`] = {
        dtype: 'I64',
        shape: [],
        data: new Uint8Array(new BigInt64Array([runningStats === 'random' ? 1000n : 0n]).buffer),
      };
    }
  }
  return tensors;
}

/** The same, serialised as a safetensors file whose metadata records the configuration and seed. */
export function randomPix2PixHDSafetensors(
  options: Partial<Pix2PixHDOptions>,
  weightOptions: RandomWeightOptions = {},
): Uint8Array {
  const layout = pix2pixhdLayout(options);
  return writeSafetensors(randomPix2PixHDStateDict(options, weightOptions), {
    format: 'pt',
    'avatarme.pix2pixhd': JSON.stringify(layout.options),
    'avatarme.seed': String(weightOptions.seed ?? 1),
  });
}
