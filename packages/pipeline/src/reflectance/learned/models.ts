import { KernelError, Tensor, type KernelContext } from '@avatarme/kernels';
import {
  Graph,
  Pix2PixHDGenerator,
  SafetensorsFile,
  sizeMultiple,
  type MemoryEstimate,
} from '@avatarme/nets';
import { imageGraphMemory, runImageGraph } from '@avatarme/nets/tiled/image-net.ts';
import type { NetworkEntry, OnnxEntry, Pix2PixHDEntry } from './manifest.ts';
import { checkOnnxNetwork } from './onnx-check.ts';

/**
 * The network behind one manifest entry on the executor: the normalised input [1, h, w, input_nc]
 * (h and w multiples of `multiple`) in, its raw output (on the entry's outputRange) out.
 */
export interface ReflectanceModel {
  readonly multiple: number;
  /** Activation memory of one window (the normalised copies of its input included), for the tiler. */
  readonly memory: MemoryEstimate;
  run(x: Tensor): Tensor;
  dispose(): void;
}

/**
 * Peak activation memory of one pix2pixHD call on h × w (the window rounded up to the size multiple).
 * The largest tensors are at full resolution with max(ngf, in, out) channels; the 7×7 reflect-padded
 * convolutions add 3 texels a side and the conv kernel up to a block of 16 columns. The peak is taken
 * as six such tensors (measured: 5.1 at ngf 4 on 64², the input's normalised copies and the U's lower
 * levels included); an estimate for choosing tiles, checked against the pool's measured peak in the
 * tests.
 */
function pix2pixhdMemory(entry: Pix2PixHDEntry): MemoryEstimate {
  const o = entry.architecture;
  const m = sizeMultiple(o);
  const channels = Math.max(o.ngf, o.input_nc, o.output_nc);
  return (h, w) => {
    const [ph, pw] = [Math.ceil(h / m) * m, Math.ceil(w / m) * m];
    const largestBytes = Tensor.byteLengthOf([1, ph + 6, pw + 6 + 16, channels]);
    return { largestBytes, peakBytes: 6 * largestBytes };
  };
}

function pix2pixhdModel(ctx: KernelContext, bytes: Uint8Array, entry: Pix2PixHDEntry, path: string) {
  const generator = Pix2PixHDGenerator.fromSafetensors(
    ctx,
    SafetensorsFile.parse(bytes, path),
    entry.architecture,
  );
  return {
    multiple: sizeMultiple(entry.architecture),
    memory: pix2pixhdMemory(entry),
    run: (x: Tensor) => generator.run(x),
    dispose: () => generator.dispose(),
  };
}

/**
 * The ONNX importer, loaded on first use: it brings protobufjs (CommonJS), which the published
 * packages keep out of their ESM roots, so only a workspace build (the CLI, the demo, the tests) has
 * it; a published @avatarme/pipeline says so instead of failing obscurely.
 */
async function onnxImporter(path: string) {
  const mod: Partial<typeof import('@avatarme/nets/onnx/import.ts')> =
    await import('@avatarme/nets/onnx/import.ts');
  if (!mod.importOnnx)
    throw new Error(
      `${path}: ONNX networks run in the workspace build of @avatarme/pipeline (CLI, demo); the published package does not bundle the ONNX importer`,
    );
  return mod.importOnnx;
}

async function onnxModel(ctx: KernelContext, bytes: Uint8Array, entry: OnnxEntry, path: string) {
  const { imported, multiple } = checkOnnxNetwork(bytes, entry, path, await onnxImporter(path));
  const graph = Graph.create(ctx, imported.spec);
  const { input_nc, output_nc } = entry;
  // The executor's plan covers the graph; ReflectanceNetwork.run adds the concatenated, centred and
  // scaled copies of the input and the shifted and scaled copies of the output around it.
  const memory: MemoryEstimate = (h, w) => {
    const [ph, pw] = [Math.ceil(h / multiple) * multiple, Math.ceil(w / multiple) * multiple];
    const graphMemory = imageGraphMemory(graph, input_nc, ph, pw);
    const copies =
      3 * Tensor.byteLengthOf([1, ph, pw, input_nc]) + 2 * Tensor.byteLengthOf([1, ph, pw, output_nc]);
    return { largestBytes: graphMemory.largestBytes, peakBytes: graphMemory.peakBytes + copies };
  };
  return {
    multiple,
    memory,
    run: (x: Tensor) => {
      const [, h, w, c] = x.shape;
      if (c !== input_nc || h % multiple !== 0 || w % multiple !== 0)
        throw new KernelError(
          `ONNX ${path}`,
          `input [${x.shape.join(', ')}] must have ${input_nc} channels and height and width multiples of ${multiple}`,
        );
      return runImageGraph(graph, x);
    },
    dispose: () => graph.dispose(),
  };
}

/** Builds the entry's network from its file's bytes: pix2pixHD safetensors or an ONNX graph. */
export async function createReflectanceModel(
  ctx: KernelContext,
  bytes: Uint8Array,
  entry: NetworkEntry,
  path: string,
): Promise<ReflectanceModel> {
  return entry.kind === 'onnx' ? onnxModel(ctx, bytes, entry, path) : pix2pixhdModel(ctx, bytes, entry, path);
}
