import type { Activation } from '@avatarme/kernels';
import type { GraphNode, GraphOp, GraphSpec } from '../ir/spec.ts';
import { LayersModelError, type KerasLayer, type LayersModelJson } from './model-json.ts';
import type { ConstTensor } from '../tfjs/weights.ts';

const ACTIVATIONS: Record<string, Activation> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
};

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

function pair(v: unknown, dflt: number): [number, number] {
  if (v === undefined || v === null) return [dflt, dflt];
  if (typeof v === 'number') return [v, v];
  const a = v as number[];
  return [Number(a[0]), Number(a[1] ?? a[0])];
}

/** Builds the graph of one layer. `channels` gives each earlier value's channel count. */
type LayerBuilder = (
  layer: KerasLayer,
  ctx: {
    file: string;
    where: string;
    channels: number[];
    weight: (suffix: string, shape: number[]) => Float32Array;
  },
) => GraphOp;

function activationOf(where: string, name: unknown): Activation {
  const a = ACTIVATIONS[String(name ?? 'linear')];
  if (!a) throw new LayersModelError(`${where}: activation "${name}" is not supported`);
  return a;
}

function positiveInt(where: string, what: string, v: unknown): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new LayersModelError(`${where}: ${what} ${JSON.stringify(v)} must be a positive integer`);
  return n;
}

const BUILDERS: Record<string, LayerBuilder> = {
  Conv2D(layer, { where, channels, weight }) {
    const c = layer.config;
    if ((c.data_format ?? 'channels_last') !== 'channels_last')
      throw new LayersModelError(
        `${where}: data_format ${c.data_format} is not supported (channels_last only)`,
      );
    if ((c.groups ?? 1) !== 1) throw new LayersModelError(`${where}: groups ${c.groups} is not supported`);
    const padding = c.padding ?? 'valid';
    if (padding !== 'same' && padding !== 'valid')
      throw new LayersModelError(`${where}: padding "${padding}" is not supported`);
    const [kh, kw] = pair(c.kernel_size, 1);
    const filters = positiveInt(where, 'filters', c.filters);
    const shape: [number, number, number, number] = [kh, kw, channels[0], filters];
    return {
      kind: 'conv2d',
      weights: weight('kernel', shape),
      weightShape: shape,
      bias: c.use_bias === false ? undefined : weight('bias', [filters]),
      padding,
      stride: pair(c.strides, 1),
      dilation: pair(c.dilation_rate, 1),
      activation: activationOf(where, c.activation),
      beta: 1,
      residual: false,
    };
  },
  Activation(layer, { where }) {
    return { kind: 'activation', activation: activationOf(where, layer.config.activation) };
  },
  ReLU(layer, { where }) {
    const c = layer.config;
    if (c.max_value != null || Number(c.negative_slope ?? 0) !== 0 || Number(c.threshold ?? 0) !== 0)
      throw new LayersModelError(
        `${where}: ReLU with max_value, negative_slope or threshold is not supported`,
      );
    return { kind: 'activation', activation: 'relu' };
  },
  Concatenate(layer, { where }) {
    const axis = Number(layer.config.axis ?? -1);
    if (axis !== -1 && axis !== 3)
      throw new LayersModelError(
        `${where}: concatenation along axis ${axis} is not supported (channels only)`,
      );
    return { kind: 'concat' };
  },
  Add() {
    return { kind: 'add' };
  },
  UpSampling2D(layer, { where }) {
    const [sy, sx] = pair(layer.config.size, 2);
    if (sy !== sx) throw new LayersModelError(`${where}: size ${fmt([sy, sx])} must be equal in both axes`);
    if ((layer.config.interpolation ?? 'nearest') !== 'nearest')
      throw new LayersModelError(
        `${where}: interpolation "${layer.config.interpolation}" is not supported (nearest only)`,
      );
    return { kind: 'upsampleNearest', factor: positiveInt(where, 'size', sy) };
  },
  // UpscalerJS's custom layers (packages/shared/src/esrgan/esrgan.ts): MultiplyBeta is y = 0.2·x (the
  // class ignores its config and uses the constant 0.2; the files all say beta 0.2), PixelShuffle{s}x
  // is tf.depthToSpace(x, s, 'NHWC'), TF's DCR channel order.
  MultiplyBeta(layer, { where }) {
    const beta = Number(layer.config.beta ?? 0.2);
    if (!Number.isFinite(beta))
      throw new LayersModelError(`${where}: beta ${layer.config.beta} is not a number`);
    return { kind: 'scale', factor: beta };
  },
};

function pixelShuffle(layer: KerasLayer, where: string): GraphOp | undefined {
  const m = /^PixelShuffle(\d+)x$/.exec(layer.className);
  if (!m) return undefined;
  const block = positiveInt(where, 'scale', layer.config.scale ?? m[1]);
  if (block !== Number(m[1]))
    throw new LayersModelError(
      `${where}: config scale ${block} does not match the class name ${layer.className}`,
    );
  return { kind: 'depthToSpace', block, mode: 'DCR' };
}

/**
 * The graph of a Keras functional model. Weights are looked up by "<layer>/<kernel|bias>" and their
 * shapes checked against the layer's config and the channels flowing into it; every weight must be used.
 */
export function buildLayersGraph(
  model: LayersModelJson,
  weights: Map<string, ConstTensor>,
  file = 'model.json',
): GraphSpec {
  const nodes: GraphNode[] = [];
  const channels = new Map<string, number>();
  const used = new Set<string>();
  for (const layer of model.layers) {
    const where = `${file}: layer ${layer.name} (${layer.className})`;
    const missing = layer.inbound.find((i) => !channels.has(i));
    if (missing) throw new LayersModelError(`${where} reads ${missing}, which is not defined before it`);
    if (layer.className === 'InputLayer') {
      const shape = (layer.config.batch_input_shape ?? layer.config.batch_shape) as
        (number | null)[] | undefined;
      const c = shape?.[shape.length - 1];
      if (!shape || shape.length !== 4 || typeof c !== 'number')
        throw new LayersModelError(
          `${where}: input shape ${JSON.stringify(shape)} must be [batch, h, w, channels] with channels known`,
        );
      nodes.push({ name: layer.name, op: { kind: 'input', channels: c }, inputs: [], origin: where });
      channels.set(layer.name, c);
      continue;
    }
    const inChannels = layer.inbound.map((i) => channels.get(i)!);
    const weight = (suffix: string, shape: number[]) => {
      const key = `${layer.name}/${suffix}`;
      const w = weights.get(key);
      if (!w) throw new LayersModelError(`${where}: weight ${key} is not in the weights manifest`);
      if (fmt(w.shape) !== fmt(shape))
        throw new LayersModelError(
          `${where}: weight ${key} has shape ${fmt(w.shape)}, the layer needs ${fmt(shape)}`,
        );
      used.add(key);
      return w.data instanceof Float32Array ? w.data : Float32Array.from(w.data);
    };
    const builder = BUILDERS[layer.className];
    const op = builder
      ? builder(layer, { file, where, channels: inChannels, weight })
      : pixelShuffle(layer, where);
    if (!op) throw new LayersModelError(`${where}: unknown layer class ${layer.className}`);
    const node: GraphNode = { name: layer.name, op, inputs: layer.inbound, origin: where };
    channels.set(layer.name, outChannels(node, inChannels, where));
    nodes.push(node);
  }
  const unused = [...weights.keys()].filter((k) => !used.has(k));
  if (unused.length)
    throw new LayersModelError(`${file}: weights ${unused.slice(0, 3).join(', ')} belong to no layer`);
  for (const o of model.outputs)
    if (!channels.has(o)) throw new LayersModelError(`${file}: output layer ${o} is not defined`);
  return { nodes, inputs: model.inputs, outputs: model.outputs };
}

function outChannels(node: GraphNode, inputs: number[], where: string): number {
  const op = node.op;
  const arity = op.kind === 'concat' || op.kind === 'add' ? -2 : 1;
  if (arity === 1 ? inputs.length !== 1 : inputs.length < 2)
    throw new LayersModelError(
      `${where}: takes ${arity === 1 ? 'one input' : 'two or more inputs'}, has ${inputs.length}`,
    );
  switch (op.kind) {
    case 'conv2d':
      return op.weightShape[3];
    case 'concat':
      return inputs.reduce((a, b) => a + b, 0);
    case 'add':
      if (inputs.some((c) => c !== inputs[0]))
        throw new LayersModelError(`${where}: adds ${inputs.join(' and ')} channels`);
      return inputs[0];
    case 'depthToSpace':
      if (inputs[0] % (op.block * op.block) !== 0)
        throw new LayersModelError(`${where}: ${inputs[0]} channels are not a multiple of ${op.block}²`);
      return inputs[0] / (op.block * op.block);
    default:
      return inputs[0];
  }
}
