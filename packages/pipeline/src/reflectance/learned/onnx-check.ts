// Deep subpaths, no GPU: the CLI checks a weights directory's ONNX files with this before any browser
// starts, and the loader runs the same checks; both hand in the importer (models.ts loads it lazily).
import type { Shape4 } from '@avatarme/kernels';
import { inferShapes } from '@avatarme/nets/ir/shapes.ts';
import type { importOnnx, OnnxImport } from '@avatarme/nets/onnx/import.ts';
import { NETWORK_INPUTS } from './avatarme.ts';
import type { OnnxEntry } from './manifest.ts';

export interface CheckedOnnxNetwork {
  imported: OnnxImport;
  /** Window sides must be multiples of this for the output to be the input's size (2^strided levels). */
  multiple: number;
}

const MULTIPLES = [1, 2, 4, 8, 16, 32, 64];
const fmt = (r: readonly number[]) => `[${r.map((v) => +v.toPrecision(6)).join(', ')}]`;

/** The value range the manifest's normalisation puts stored [0, 1] values on, when it is one for every channel. */
function manifestInputRange(entry: OnnxEntry): [number, number][] {
  return entry.mean.map((m, c) => [(0 - m) / entry.std[c], (1 - m) / entry.std[c]]);
}

function parseRange(text: string): [number, number] | undefined {
  const r = text.split(',').map(Number);
  return r.length === 2 && r.every(Number.isFinite) ? [r[0], r[1]] : undefined;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Imports an ONNX file named by the manifest and checks it against its entry: one image input and one
 * image output, the input's declared channels = the entry's inputs, the output's channels =
 * output_nc, the output the input's size (the size multiple is found by inferring shapes), and, where
 * the file's metadata states input_range / output_range, the same ranges as the manifest's
 * normalisation and outputRange. Throws one line naming `path`; an op the importer cannot lower is
 * named by importOnnx.
 */
export function checkOnnxNetwork(
  bytes: Uint8Array,
  entry: OnnxEntry,
  path: string,
  importer: typeof importOnnx,
): CheckedOnnxNetwork {
  const imported = importer(bytes, path);
  const { spec, inputChannels, metadata } = imported;
  if (spec.inputs.length !== 1 || spec.outputs.length !== 1)
    throw new Error(
      `${path}: ${spec.inputs.length} inputs and ${spec.outputs.length} outputs; a reflectance network has one of each`,
    );
  const [input, output] = [spec.inputs[0], spec.outputs[0]];
  const feeds = `${entry.inputs.map((i) => `${i} (${NETWORK_INPUTS[i]})`).join(' + ')}`;
  const declared = inputChannels[input];
  if (declared !== undefined && declared !== entry.input_nc)
    throw new Error(
      `${path}: input "${input}" takes ${declared} channels; the manifest's ${entry.map} feeds it ${entry.input_nc}: ${feeds}`,
    );

  const outputFor = (side: number): Shape4 =>
    inferShapes(spec, { [input]: [1, side, side, entry.input_nc] }).get(output)!;
  let probe: Shape4;
  try {
    probe = outputFor(64);
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(
      `${message.startsWith(`${path}: `) ? '' : `${path}: `}${message} (on the manifest's ${entry.input_nc} input channels: ${feeds})`,
      { cause: e },
    );
  }
  if (probe[3] !== entry.output_nc)
    throw new Error(
      `${path}: output "${output}" has ${probe[3]} channels; the manifest's output_nc for ${entry.map} is ${entry.output_nc}`,
    );
  const keepsSize = (side: number) => {
    try {
      const [, h, w] = outputFor(side);
      return h === side && w === side;
    } catch {
      return false;
    }
  };
  const multiple = MULTIPLES.find((m) => [4, 5, 7].every((k) => keepsSize(k * m)));
  if (multiple === undefined)
    throw new Error(
      `${path}: a 64×64 input gives ${probe[1]}×${probe[2]}, and no window side up to 448 keeps its size; a reflectance network maps an image to one of the same size`,
    );
  if (entry.inferencePatchSize % multiple !== 0)
    throw new Error(
      `${path}: inferencePatchSize ${entry.inferencePatchSize} must be a multiple of ${multiple} for this graph`,
    );

  if (metadata.input_range !== undefined) {
    const stated = parseRange(metadata.input_range);
    const ours = manifestInputRange(entry);
    if (!stated || !ours.every(([lo, hi]) => near(lo, stated[0]) && near(hi, stated[1])))
      throw new Error(
        `${path}: metadata input_range "${metadata.input_range}" disagrees with the manifest's normalisation for ${entry.map} (mean ${fmt(entry.mean)}, std ${fmt(entry.std)} put [0, 1] on ${[...new Set(ours.map(fmt))].join(', ')})`,
      );
  }
  if (metadata.output_range !== undefined) {
    const stated = parseRange(metadata.output_range);
    const [lo, hi] = entry.outputRange;
    if (!stated || !near(lo, stated[0]) || !near(hi, stated[1]))
      throw new Error(
        `${path}: metadata output_range "${metadata.output_range}" disagrees with the manifest's outputRange ${fmt(entry.outputRange)} for ${entry.map}`,
      );
  }
  return { imported, multiple };
}
