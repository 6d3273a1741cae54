import type { GraphNode, GraphOp, GraphSpec } from '../ir/spec.ts';
import type { ConvLayer, Layer, Pix2PixHDLayout } from './architecture.ts';
import { torchConvWeightsToHWIO } from './weights.ts';

/** PyTorch's InstanceNorm2d and BatchNorm2d default. */
const NORM_EPS = 1e-5;

/** The graph's input value. */
export const PIX2PIXHD_INPUT = 'input';

/**
 * A pix2pixHD GlobalGenerator or LocalEnhancer as the network IR, module by module as PyTorch runs
 * it: ReflectionPad2d, Conv2d / ConvTranspose2d, BatchNorm2d / InstanceNorm2d, ReLU / Tanh, the
 * ResnetBlocks' sums and the LocalEnhancer's input pyramid and "+ output_prev". Weights come from
 * `param` (state_dict keys; empty arrays build the structure alone, for planning and counting);
 * PyTorch layouts become the IR's (HWIO, TF's transposed filter). Plain
 * TypeScript without the kernels' GPU half, so Node tools can plan and count the network. Fusion
 * folds the pads, batch norms, activations and sums into the convolutions afterwards.
 */
export function pix2pixhdGraph(
  layout: Pix2PixHDLayout,
  param: (key: string) => Float32Array,
  file = 'pix2pixHD',
): GraphSpec {
  const o = layout.options;
  const nodes: GraphNode[] = [
    { name: PIX2PIXHD_INPUT, op: { kind: 'input', channels: o.input_nc }, inputs: [] },
  ];
  const add = (name: string, key: string, op: GraphOp, inputs: string[]): string => {
    nodes.push({ name, op, inputs, origin: `${file}:${key}` });
    return name;
  };

  // An empty weight array stays empty: the structure alone is enough to plan and count the network.
  const layoutOf = (w: Float32Array, shape: number[]) => (w.length ? torchConvWeightsToHWIO(w, shape) : w);

  const convLayer = (l: ConvLayer, x: string): string => {
    const p = l.pad;
    if (l.padMode === 'reflect' && p > 0)
      x = add(`${l.key}/pad`, l.key, { kind: 'pad', pads: [p, p, p, p], mode: 'reflect' }, [x]);
    const weight = param(`${l.key}.weight`);
    const bias = param(`${l.key}.bias`);
    const stride: [number, number] = [l.stride, l.stride];
    const op: GraphOp =
      l.kind === 'conv'
        ? {
            kind: 'conv2d',
            weights: layoutOf(weight, [l.cout, l.cin, l.k, l.k]),
            weightShape: [l.k, l.k, l.cin, l.cout],
            bias,
            padding: l.padMode === 'zero' ? p : 0,
            stride,
            dilation: [1, 1],
            activation: 'linear',
            beta: 1,
            residual: false,
          }
        : {
            kind: 'convTranspose2d',
            // IOHW [cin, cout, k, k] read as OIHW gives TF's [k, k, cout, cin].
            weights: layoutOf(weight, [l.cin, l.cout, l.k, l.k]),
            weightShape: [l.k, l.k, l.cout, l.cin],
            bias,
            stride,
            padding: [p, p, p, p],
            outputPadding: [1, 1],
            activation: 'linear',
          };
    x = add(l.key, l.key, op, [x]);
    if (l.norm) {
      const norm: GraphOp =
        o.norm === 'batch'
          ? {
              kind: 'batchNorm',
              params: {
                gamma: param(`${l.norm}.weight`),
                beta: param(`${l.norm}.bias`),
                mean: param(`${l.norm}.running_mean`),
                variance: param(`${l.norm}.running_var`),
                eps: NORM_EPS,
              },
            }
          : { kind: 'instanceNorm', eps: NORM_EPS, activation: 'linear' };
      x = add(l.norm, l.norm, norm, [x]);
    }
    if (l.activation !== 'linear')
      x = add(`${l.key}/${l.activation}`, l.key, { kind: 'activation', activation: l.activation }, [x]);
    return x;
  };

  const layers = (ls: Layer[], x: string): string => {
    for (const l of ls) {
      if (l.kind !== 'res') x = convLayer(l, x);
      // ResnetBlock: x + conv_block(x).
      else x = add(l.key, l.key, { kind: 'add' }, [x, convLayer(l.convs[1], convLayer(l.convs[0], x))]);
    }
    return x;
  };

  // LocalEnhancer: level i of the input pyramid is the input average-pooled i times (AvgPool2d(3, 2,
  // 1, count_include_pad=False)); the global branch runs on the coarsest, each local level adds its
  // downsampling branch to the output of the level below.
  const levels = layout.local.length;
  const pyramid = [PIX2PIXHD_INPUT];
  for (let i = 1; i <= levels; i++) {
    const op: GraphOp = {
      kind: 'pool2d',
      mode: 'avg',
      kernel: [3, 3],
      stride: [2, 2],
      padding: 1,
      countIncludePad: false,
    };
    pyramid.push(add(`downsample.${i}`, 'downsample', op, [pyramid[i - 1]]));
  }
  let out = layers(layout.global, pyramid[levels]);
  layout.local.forEach((level, i) => {
    const key = `model${i + 1}_1`;
    const down = layers(level.down, pyramid[levels - 1 - i]);
    out = layers(level.up, add(`${key}+prev`, key, { kind: 'add' }, [down, out]));
  });
  return { nodes, inputs: [PIX2PIXHD_INPUT], outputs: [out] };
}
