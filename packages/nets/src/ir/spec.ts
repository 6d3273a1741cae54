import type {
  Activation,
  BatchNormParams,
  BinaryOp,
  CoordinateMode,
  Padding,
  ResizeMode,
} from '@avatarme/kernels';
import type { NearestRounding } from '@avatarme/kernels/resize/coordinates.ts';

/**
 * A network as data: nodes in topological order, each naming the values it reads. Every importer
 * produces this (layers-model/build.ts from Keras layers, graph-model/lower.ts from TF GraphDef ops,
 * pix2pixhd/graph.ts from PyTorch modules); the passes in fuse.ts rewrite it, plan.ts and shapes.ts
 * analyse it without a GPU, and `Graph` (graph.ts) turns it into kernel calls.
 *
 * Values are NHWC tensors. A value also has a TF rank (shapes.ts): rank r ≤ 4 is held as the 4-D
 * tensor toNhwc gives, so ops that reinterpret shapes (matmul, reshape, mean, concat axes) and the
 * shapes reported to TF.js callers stay exact.
 */
export type GraphOp =
  | {
      kind: 'input';
      /** Required channel count (Keras input layers). */
      channels?: number;
      /** Declared TF shape, -1 for any size (graph-model placeholders); empty or absent: not checked. */
      shape?: readonly number[];
    }
  | ConvOp
  | ConvTransposeOp
  | {
      /** [B, K] · [K, M] (+ bias): a rank-2 value through a 1×1 convolution. */
      kind: 'matmul';
      weights: Float32Array;
      weightShape: [number, number];
      bias?: Float32Array;
      activation: Activation;
    }
  | {
      kind: 'activation';
      activation: Activation;
      /** Per-channel slopes of 'prelu'. */
      slopes?: Float32Array;
      /** Slope of 'leakyRelu' (default 0.2). */
      alpha?: number;
    }
  /** a ⊕ b, b a second value (broadcast as the binary kernel allows) or a constant (scalar or per channel). */
  | { kind: 'binary'; op: BinaryOp; constant?: number | Float32Array }
  /** Sum of two or more values of one shape (the only sum the convolution's residual epilogue takes). */
  | { kind: 'add' }
  | { kind: 'scale'; factor: number }
  /** Along the channels; `axis` as the importer gave it (checked against the inputs' rank). */
  | { kind: 'concat'; axis?: number }
  | { kind: 'upsampleNearest'; factor: number }
  /**
   * Resize by [y, x] scales: the output is floor(in · scale) and the source coordinates follow the scale
   * (ONNX Resize given scales); the options are the resize kernel's.
   */
  | {
      kind: 'resize';
      scale: [number, number];
      mode: ResizeMode;
      coordinates: CoordinateMode;
      cubicA?: number;
      nearestRounding?: NearestRounding;
      excludeOutside?: boolean;
    }
  | { kind: 'depthToSpace'; block: number; mode: 'DCR' | 'CRD' }
  | {
      kind: 'pool2d';
      mode: 'max' | 'avg';
      kernel: [number, number];
      stride: [number, number];
      padding: Padding;
      countIncludePad?: boolean;
      /** Output size rounded up: the partial last window is added as end padding (ceilModeExtraPads). */
      ceilMode?: boolean;
    }
  /** Spatial padding [top, bottom, left, right]. */
  | { kind: 'pad'; pads: [number, number, number, number]; mode: 'zero' | 'reflect' }
  /** `after` zero channels appended. */
  | { kind: 'padChannels'; after: number }
  /** Row-major reshape to a TF shape (one entry may be -1). */
  | { kind: 'reshape'; shape: number[] }
  /**
   * ONNX Flatten at axis 1 of a 1×1 image: [N, C, 1, 1] → [N, C]. Larger images are refused, since
   * NCHW's flattening order (channel-major) is not the NHWC tensor's.
   */
  | { kind: 'flatten' }
  /** Mean over H and W. */
  | { kind: 'mean'; keepDims: boolean }
  | { kind: 'softmax' }
  | { kind: 'instanceNorm'; eps: number; activation: 'linear' | 'relu' }
  | { kind: 'batchNorm'; params: BatchNormParams }
  | { kind: 'identity' };

export interface ConvOp {
  kind: 'conv2d';
  /** HWIO [kh, kw, cin / groups, cout]. */
  weights: Float32Array;
  weightShape: [number, number, number, number];
  /** Depthwise convolutions are groups = cin with weights [kh, kw, 1, cin · multiplier]. */
  groups?: number;
  bias?: Float32Array;
  padding: Padding;
  /** How the padding is filled (a folded ReflectionPad2d is 'reflect'). Default 'zero'. */
  padMode?: 'zero' | 'reflect';
  stride: [number, number];
  dilation: [number, number];
  activation: Activation;
  prelu?: Float32Array;
  leakySlope?: number;
  /** y = beta · act(conv + bias) (+ residual, the node's second input, when `residual` is set). */
  beta: number;
  residual: boolean;
  /** Inference batch norm after the convolution, folded into the weights when they are uploaded. */
  batchNorm?: BatchNormParams;
}

export interface ConvTransposeOp {
  kind: 'convTranspose2d';
  /** TF conv2dTranspose layout [kh, kw, cout, cin]. */
  weights: Float32Array;
  weightShape: [number, number, number, number];
  bias?: Float32Array;
  stride: [number, number];
  /** PyTorch semantics: [top, bottom, left, right] cropped from the full output. */
  padding: [number, number, number, number];
  outputPadding: [number, number];
  activation: Activation;
  prelu?: Float32Array;
  leakySlope?: number;
  batchNorm?: BatchNormParams;
}

export interface GraphNode {
  name: string;
  op: GraphOp;
  inputs: string[];
  /** Where the node came from (layer, graph node or module, and file), for error messages. */
  origin?: string;
}

export interface GraphSpec {
  nodes: GraphNode[];
  inputs: string[];
  outputs: string[];
}

/** How many nodes read each value (graph outputs count as one extra reader). */
export function consumerCounts(spec: GraphSpec): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of spec.nodes) for (const i of node.inputs) counts.set(i, (counts.get(i) ?? 0) + 1);
  for (const o of spec.outputs) counts.set(o, (counts.get(o) ?? 0) + 1);
  return counts;
}
