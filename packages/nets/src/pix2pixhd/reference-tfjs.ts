// Test-only: pix2pixHD's generators written with TF.js ops (CPU backend), transcribed from
// networks.py as nn.Sequential module lists so that state_dict keys follow from module positions
// exactly as in PyTorch. It shares no code with the WGSL path; parity tests compare the two.
import * as tf from '@tensorflow/tfjs-core';

type T4 = tf.Tensor4D;
/** State_dict lookup; `filter` gives a conv's weight in TF layout (HWIO, or [kh, kw, out, in] for ConvTranspose). */
interface Param {
  (key: string): tf.Tensor;
  filter(key: string): tf.Tensor4D;
}
/** A module factory: given its key ("model.4") and the parameter lookup, the forward function. */
type Module = (key: string, p: Param) => (x: T4) => T4;

const EPS = 1e-5;

function sequential(modules: Module[]): Module {
  return (key, p) => {
    const fns = modules.map((m, i) => m(`${key}.${i}`, p));
    return (x) => fns.reduce((h, f) => f(h), x);
  };
}

const reflectionPad2d =
  (n: number): Module =>
  () =>
  (x) =>
    tf.mirrorPad(
      x,
      [
        [0, 0],
        [n, n],
        [n, n],
        [0, 0],
      ],
      'reflect',
    );

/** nn.Conv2d; padding zeros on all sides. */
const conv2d =
  (stride = 1, padding = 0): Module =>
  (key, p) =>
  (x) => {
    const w = p.filter(key);
    return tf.add(tf.conv2d(x, w, stride, padding === 0 ? 'valid' : padding), p(`${key}.bias`));
  };

/**
 * nn.ConvTranspose2d(k, stride 2, padding 1, output_padding 1): the gradient of a stride-2 conv with
 * padding 1 whose input is twice the size.
 */
const convTranspose2d: Module = (key, p) => (x) => {
  const w = p.filter(key);
  const [n, h, wd] = x.shape;
  const y = tf.conv2dTranspose(x, w, [n, 2 * h, 2 * wd, w.shape[2]], 2, 1);
  return tf.add(y, p(`${key}.bias`));
};

const instanceNorm2d: Module = () => (x) => {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS)));
};

const batchNorm2d: Module = (key, p) => (x) =>
  tf.batchNorm(
    x,
    p(`${key}.running_mean`) as tf.Tensor1D,
    p(`${key}.running_var`) as tf.Tensor1D,
    p(`${key}.bias`) as tf.Tensor1D,
    p(`${key}.weight`) as tf.Tensor1D,
    EPS,
  );

const relu: Module = () => (x) => tf.relu(x);
const tanh: Module = () => (x) => tf.tanh(x);

/** AvgPool2d(3, stride 2, padding 1, count_include_pad=False): window sums over in-image counts. */
function downsample(x: T4): T4 {
  const pads: [number, number][] = [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ];
  const sum = tf.mul(tf.avgPool(tf.pad(x, pads), 3, 2, 'valid'), 9);
  const ones = tf.ones([1, x.shape[1], x.shape[2], 1]);
  const count = tf.mul(tf.avgPool(tf.pad(ones, pads) as T4, 3, 2, 'valid'), 9);
  return tf.div(sum, count);
}

function resnetBlock(norm: Module): Module {
  const block = sequential([reflectionPad2d(1), conv2d(), norm, relu, reflectionPad2d(1), conv2d(), norm]);
  return (key, p) => {
    const f = block(`${key}.conv_block`, p);
    return (x) => tf.add(x, f(x));
  };
}

/** GlobalGenerator.model as its module list (networks.py). */
function globalModules(nd: number, nb: number, norm: Module): Module[] {
  const m: Module[] = [reflectionPad2d(3), conv2d(), norm, relu];
  for (let i = 0; i < nd; i++) m.push(conv2d(2, 1), norm, relu);
  for (let i = 0; i < nb; i++) m.push(resnetBlock(norm));
  for (let i = 0; i < nd; i++) m.push(convTranspose2d, norm, relu);
  m.push(reflectionPad2d(3), conv2d(), tanh);
  return m;
}

export interface ReferenceConfig {
  netG: 'global' | 'local';
  n_downsampling: number;
  n_blocks: number;
  norm: 'instance' | 'batch';
  n_local_enhancers: number;
  n_blocks_local: number;
}

/**
 * PyTorch conv weights [out, in, kh, kw] and ConvTranspose weights [in, out, kh, kw] both become TF's
 * layout by the transpose [2, 3, 1, 0]. Benchmarks call it once up front.
 */
export function torchFilterToTf(w: tf.Tensor): tf.Tensor4D {
  return tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D;
}

/**
 * Runs the generator on an NHWC input; `lookup` gives the state_dict tensor for a key, `filter` a
 * conv's weight in TF layout (default: lookup(`${key}.weight`) transposed on each call).
 */
export function pix2pixhdTfjs(
  cfg: ReferenceConfig,
  lookup: (key: string) => tf.Tensor,
  input: T4,
  filter: (key: string) => tf.Tensor4D = (key) => torchFilterToTf(lookup(`${key}.weight`)),
): T4 {
  const param = Object.assign((key: string) => lookup(key), { filter }) as Param;
  return tf.tidy(() => {
    const norm = cfg.norm === 'instance' ? instanceNorm2d : batchNorm2d;
    const globalList = globalModules(cfg.n_downsampling, cfg.n_blocks, norm);
    if (cfg.netG === 'global') return sequential(globalList)('model', param)(input);
    const model = sequential(globalList.slice(0, -3))('model', param);
    const levels = cfg.n_local_enhancers;
    const pyramid = [input];
    for (let i = 0; i < levels; i++) pyramid.push(downsample(pyramid[i]));
    let prev = model(pyramid[levels]);
    for (let n = 1; n <= levels; n++) {
      const down = sequential([reflectionPad2d(3), conv2d(), norm, relu, conv2d(2, 1), norm, relu]);
      const upList: Module[] = [];
      for (let i = 0; i < cfg.n_blocks_local; i++) upList.push(resnetBlock(norm));
      upList.push(convTranspose2d, norm, relu);
      if (n === levels) upList.push(reflectionPad2d(3), conv2d(), tanh);
      const x = pyramid[levels - n];
      prev = sequential(upList)(`model${n}_2`, param)(tf.add(down(`model${n}_1`, param)(x), prev));
    }
    return prev;
  });
}
