// What the image-to-image networks on one graph (ESRGAN, ONNX) share: one input, one output, pixels fed
// on the value range the model was trained for.

import type { Tensor } from '@avatarme/kernels';
import type { Graph } from '../ir/graph.ts';
import { tensorBytes } from '../ir/shapes.ts';
import { pixelsToRange } from './pixel-range.ts';
import { runTiled, type TileNet, type TiledOptions, type TiledResult } from './tiled.ts';

/**
 * Super-resolves an image of any size: pixels in [0, 255] (dense HWC) in, mapped to the net's input
 * range; the model's raw output (its own range, not clamped) out, tiled and blended (runTiled).
 */
export function upscalePixels(
  net: TileNet,
  inputRange: readonly [number, number],
  pixels: Float32Array,
  height: number,
  width: number,
  opts: TiledOptions = {},
): Promise<TiledResult> {
  return runTiled(net, pixelsToRange(pixels, inputRange), height, width, opts);
}

/**
 * Activation memory of one call of `graph` on a [1, h, w, channels] input. The largest tensor is taken
 * with the padding the convolution adds before it runs (up to a block of 16 columns and the kernel's
 * border).
 */
export function imageGraphMemory(graph: Graph, channels: number, h: number, w: number) {
  const plan = graph.plan({ [graph.spec.inputs[0]]: [1, h, w, channels] });
  let largestBytes = 0;
  for (const [n, sh, sw, c] of plan.shapes.values())
    largestBytes = Math.max(largestBytes, tensorBytes([n, sh + 4, sw + 20, c]));
  return { peakBytes: plan.peakBytes, largestBytes };
}

/** Records `graph` for one window (one submission): its input to its output; the result is the caller's. */
export function runImageGraph(graph: Graph, x: Tensor): Tensor {
  return graph.run({ [graph.spec.inputs[0]]: x })[graph.spec.outputs[0]];
}
