import { inferShapes } from '../ir/shapes.ts';
import { OnnxImportError, type OnnxImport } from './import.ts';

/** What a caller needs to feed an image-to-image ONNX network, from the graph and its metadata. */
export interface OnnxImageNet {
  inChannels: number;
  outChannels: number;
  /** Output size / input size (an integer). */
  scale: number;
  /** Value ranges of pixels in and out: the `input_range` / `output_range` metadata, else [0, 1]. */
  inputRange: [number, number];
  outputRange: [number, number];
}

function parseRange(file: string, text: string | undefined, what: string): [number, number] {
  if (text === undefined) return [0, 1];
  const r = text.split(',').map(Number);
  if (r.length !== 2 || !r.every(Number.isFinite) || r[0] >= r[1]) {
    throw new OnnxImportError(`${file}: metadata ${what} "${text}" must be "low,high"`);
  }
  return [r[0], r[1]];
}

/**
 * Checks that an imported model is one image in, one image out, an integer upscaling of it (found by
 * planning an 8×8 input), and reads its ranges. Pure: Node tools use it to refuse a model before any
 * browser starts.
 */
export function describeOnnxImageNet(imported: OnnxImport, file = 'model.onnx'): OnnxImageNet {
  const { spec, inputChannels, metadata } = imported;
  if (spec.inputs.length !== 1 || spec.outputs.length !== 1) {
    throw new OnnxImportError(
      `${file}: ${spec.inputs.length} inputs and ${spec.outputs.length} outputs (an image network has one of each)`,
    );
  }
  const inChannels = inputChannels[spec.inputs[0]] ?? 3;
  const probe = 8;
  const [, oh, ow, outChannels] = inferShapes(spec, { [spec.inputs[0]]: [1, probe, probe, inChannels] }).get(
    spec.outputs[0],
  )!;
  if (oh !== ow || oh % probe !== 0) {
    throw new OnnxImportError(
      `${file}: an ${probe}×${probe} input gives ${oh}×${ow}, not an integer upscaling`,
    );
  }
  return {
    inChannels,
    outChannels,
    scale: oh / probe,
    inputRange: parseRange(file, metadata.input_range, 'input_range'),
    outputRange: parseRange(file, metadata.output_range, 'output_range'),
  };
}
