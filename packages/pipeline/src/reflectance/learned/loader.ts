import { KernelError, Tensor, binary, concat, type KernelContext } from '@avatarme/kernels';
import { NETWORK_INPUTS, type NetworkInput, type ReflectanceMap } from './avatarme.ts';
import { createReflectanceModel, type ReflectanceModel } from './models.ts';
import { MANIFEST_FILE, parseManifest, type NetworkEntry, type ReflectanceManifest } from './manifest.ts';
import { resolveWeightSource, type WeightSource } from './source.ts';

/**
 * One AvatarMe network: takes its named inputs as stored values in [0, 1], applies the manifest's
 * normalisation, runs the model (pix2pixHD or ONNX) and maps its output range back onto [0, 1].
 */
export class ReflectanceNetwork {
  private readonly mean: Tensor;
  private readonly invStd: Tensor;

  constructor(
    private readonly ctx: KernelContext,
    readonly entry: NetworkEntry,
    readonly model: ReflectanceModel,
  ) {
    const c = entry.input_nc;
    this.mean = Tensor.fromArray(ctx, Float32Array.from(entry.mean), [1, 1, 1, c], `${entry.map}.mean`);
    this.invStd = Tensor.fromArray(
      ctx,
      Float32Array.from(entry.std, (s) => 1 / s),
      [1, 1, 1, c],
      `${entry.map}.1/std`,
    );
  }

  run(inputs: Partial<Record<NetworkInput, Tensor>>): Tensor {
    const op = `reflectance ${this.entry.map}`;
    const parts = this.entry.inputs.map((name) => {
      const t = inputs[name];
      if (!t) throw new KernelError(op, `needs input "${name}" (inputs: ${this.entry.inputs.join(', ')})`);
      if (t.c !== NETWORK_INPUTS[name])
        throw new KernelError(
          op,
          `input "${name}" [${t.shape.join(', ')}] must have ${NETWORK_INPUTS[name]} channels`,
        );
      return t;
    });
    const joined = parts.length === 1 ? parts[0] : concat(this.ctx, parts);
    const centred = binary(this.ctx, 'sub', joined, this.mean);
    if (joined !== parts[0]) joined.dispose();
    const x = binary(this.ctx, 'mul', centred, this.invStd);
    centred.dispose();
    const y = this.model.run(x);
    x.dispose();
    const [lo, hi] = this.entry.outputRange;
    const shifted = binary(this.ctx, 'sub', y, lo);
    y.dispose();
    const out = binary(this.ctx, 'mul', shifted, 1 / (hi - lo));
    shifted.dispose();
    return out;
  }

  dispose(): void {
    this.model.dispose();
    this.mean.dispose();
    this.invStd.dispose();
  }
}

export interface ReflectanceNetworks {
  manifest: ReflectanceManifest;
  source: string;
  networks: Partial<Record<ReflectanceMap, ReflectanceNetwork>>;
  dispose(): void;
}

export interface LoadOptions {
  signal?: AbortSignal;
  onProgress?: (e: { map: ReflectanceMap; file: string; index: number; count: number }) => void;
}

/**
 * Loads the networks a weights directory's manifest.json names: a directory path (Node), a URL base
 * (fetch) or any WeightSource. Each file (pix2pixHD safetensors or ONNX) is read, validated against
 * its entry and uploaded in turn, so only one file's bytes are held at a time. Errors name the file.
 */
export async function loadReflectanceNetworks(
  ctx: KernelContext,
  source: string | URL | WeightSource,
  opts: LoadOptions = {},
): Promise<ReflectanceNetworks> {
  const src = resolveWeightSource(source);
  const manifestBytes = await src.read(MANIFEST_FILE, opts.signal);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (e) {
    throw new Error(
      `${src.location}/${MANIFEST_FILE}: not valid JSON (${(e as Error).message.split('\n')[0]})`,
      { cause: e },
    );
  }
  const manifest = parseManifest(json, `${src.location}/${MANIFEST_FILE}`);
  const entries = Object.values(manifest.networks) as NetworkEntry[];
  const networks: ReflectanceNetworks['networks'] = {};
  const disposeAll = () => Object.values(networks).forEach((n) => n.dispose());
  try {
    for (const [index, entry] of entries.entries()) {
      opts.signal?.throwIfAborted();
      opts.onProgress?.({ map: entry.map, file: entry.file, index, count: entries.length });
      const bytes = await src.read(entry.file, opts.signal);
      const model = await createReflectanceModel(ctx, bytes, entry, `${src.location}/${entry.file}`);
      networks[entry.map] = new ReflectanceNetwork(ctx, entry, model);
    }
  } catch (e) {
    disposeAll();
    throw e;
  }
  return { manifest, source: src.location, networks, dispose: disposeAll };
}
