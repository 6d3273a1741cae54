// A deep subpath: the CLI's Node side reads this file and must not load the GPU half of @avatarme/nets.
import { checkOptions, sizeMultiple, type Pix2PixHDOptions } from '@avatarme/nets/pix2pixhd/architecture.ts';
import {
  AVATARME_ARCHITECTURE,
  AVATARME_NETWORKS,
  NETWORK_INPUTS,
  REFLECTANCE_MAPS,
  type NetworkInput,
  type ReflectanceMap,
} from './avatarme.ts';

export const MANIFEST_FORMAT = 'avatarme-reflectance-weights';
export const MANIFEST_FILE = 'manifest.json';

/** What the manifest says about a network whatever its file format, with every default filled in. */
interface EntryCommon {
  map: ReflectanceMap;
  file: string;
  inputs: NetworkInput[];
  /** Channels of the network's input (the inputs' channels summed) and of its output. */
  input_nc: number;
  output_nc: number;
  /** Side of the square patches it was trained on (AvatarMe: 512). */
  patchSize: number;
  /** Window the tiler should use at inference (AvatarMe: 1536); a multiple of the size multiple. */
  inferencePatchSize: number;
  /** Network input = (x − mean) / std per channel, x the stored [0, 1] values (pix2pixHD: 0.5, 0.5). */
  mean: number[];
  std: number[];
  /** The network output range that maps linearly onto stored [0, 1] values (tanh: [-1, 1]). */
  outputRange: [number, number];
}

/** A pix2pixHD generator's state_dict as safetensors, its architecture given by the manifest. */
export interface Pix2PixHDEntry extends EntryCommon {
  kind: 'pix2pixhd';
  architecture: Pix2PixHDOptions;
}

/**
 * An ONNX image-to-image graph (a file ending in .onnx): one [1, input_nc, H, W] input, one
 * [1, output_nc, H, W] output; its size multiple is read from the graph when it is loaded.
 */
export interface OnnxEntry extends EntryCommon {
  kind: 'onnx';
}

/** One network of the weights directory. */
export type NetworkEntry = Pix2PixHDEntry | OnnxEntry;

/** ONNX files are told apart from safetensors by their name. */
export const isOnnxFile = (file: string) => /\.onnx$/i.test(file);

export interface ReflectanceManifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  networks: Partial<Record<ReflectanceMap, NetworkEntry>>;
}

const ARCH_KEYS = [
  'netG',
  'ngf',
  'n_downsampling',
  'n_blocks',
  'norm',
  'n_local_enhancers',
  'n_blocks_local',
] as const;
const ENTRY_KEYS = [
  'file',
  'architecture',
  'inputs',
  'output_nc',
  'patchSize',
  'inferencePatchSize',
  'normalisation',
  'outputRange',
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;

/**
 * Validates a manifest (parsed JSON) and fills in defaults; every problem is listed in one error that
 * names `file`. See packages/pipeline/README.md for the format.
 */
export function parseManifest(json: unknown, file = MANIFEST_FILE): ReflectanceManifest {
  const problems: string[] = [];
  const networks: ReflectanceManifest['networks'] = {};
  if (!isObject(json)) throw new Error(`${file}: not a JSON object`);
  if (json.format !== MANIFEST_FORMAT) problems.push(`format must be "${MANIFEST_FORMAT}"`);
  if (json.version !== 1) problems.push(`version ${JSON.stringify(json.version)} is not supported (1)`);
  if (!isObject(json.networks) || Object.keys(json.networks).length === 0) {
    problems.push(`networks must name at least one of ${REFLECTANCE_MAPS.join(', ')}`);
  } else {
    for (const [map, raw] of Object.entries(json.networks)) {
      const at = (msg: string) => problems.push(`networks.${map}: ${msg}`);
      if (!(REFLECTANCE_MAPS as readonly string[]).includes(map)) {
        at(`unknown network (known: ${REFLECTANCE_MAPS.join(', ')})`);
        continue;
      }
      if (!isObject(raw)) {
        at('not an object');
        continue;
      }
      const entry = parseEntry(map as ReflectanceMap, raw, at);
      if (entry) networks[map as ReflectanceMap] = entry;
    }
  }
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  return { format: MANIFEST_FORMAT, version: 1, networks };
}

function parseEntry(
  map: ReflectanceMap,
  raw: Record<string, unknown>,
  at: (msg: string) => void,
): NetworkEntry | undefined {
  const named = AVATARME_NETWORKS[map];
  let ok = true;
  const bad = (msg: string) => {
    ok = false;
    at(msg);
  };
  for (const k of Object.keys(raw)) if (!ENTRY_KEYS.includes(k)) bad(`unknown field "${k}"`);
  if (typeof raw.file !== 'string' || raw.file === '' || raw.file.includes('..'))
    bad('file must be a file name inside the weights directory');

  const inputs = (raw.inputs ?? named.inputs) as NetworkInput[];
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((i) => Object.hasOwn(NETWORK_INPUTS, i)))
    bad(`inputs must be a list of ${Object.keys(NETWORK_INPUTS).join(', ')}`);
  const inputNc = Array.isArray(inputs) ? inputs.reduce((c, i) => c + (NETWORK_INPUTS[i] ?? 0), 0) : 0;

  const onnx = typeof raw.file === 'string' && isOnnxFile(raw.file);
  const output_nc = raw.output_nc ?? named.output_nc;
  let architecture: Pix2PixHDOptions | undefined;
  let multiple: number | undefined;
  if (onnx) {
    if (!isPositiveInt(output_nc)) bad('output_nc must be a positive integer');
    if (raw.architecture !== undefined)
      bad('architecture is for pix2pixHD safetensors; an .onnx file carries its own graph');
  } else {
    const arch = raw.architecture ?? {};
    if (!isObject(arch)) bad('architecture must be an object');
    const archObj = isObject(arch) ? arch : {};
    for (const k of Object.keys(archObj))
      if (!(ARCH_KEYS as readonly string[]).includes(k))
        bad(
          `architecture: unknown field "${k}" (known: ${ARCH_KEYS.join(', ')}; input_nc follows from inputs)`,
        );
    architecture = {
      ...AVATARME_ARCHITECTURE,
      ...archObj,
      input_nc: inputNc,
      output_nc,
    } as Pix2PixHDOptions;
    try {
      checkOptions(architecture);
      multiple = sizeMultiple(architecture);
    } catch (e) {
      bad((e as Error).message.replace(/^pix2pixHD: /, 'architecture: '));
    }
  }

  const patchSize = raw.patchSize ?? 512;
  const inferencePatchSize = raw.inferencePatchSize ?? 1536;
  if (!isPositiveInt(patchSize)) bad('patchSize must be a positive integer');
  if (!isPositiveInt(inferencePatchSize)) bad('inferencePatchSize must be a positive integer');
  else if (multiple !== undefined && (inferencePatchSize as number) % multiple !== 0)
    bad(`inferencePatchSize ${inferencePatchSize} must be a multiple of ${multiple} for this architecture`);

  const norm = raw.normalisation ?? { mean: 0.5, std: 0.5 };
  const perChannel = (v: unknown, name: string): number[] => {
    const arr = typeof v === 'number' ? new Array<number>(inputNc).fill(v) : v;
    if (
      !Array.isArray(arr) ||
      arr.length !== inputNc ||
      !arr.every((x) => typeof x === 'number' && isFinite(x))
    ) {
      bad(`normalisation.${name} must be a number or ${inputNc} numbers (one per input channel)`);
      return [];
    }
    return arr as number[];
  };
  const normObj = isObject(norm) ? norm : {};
  if (!isObject(norm)) bad('normalisation must be {mean, std}');
  const mean = perChannel(normObj.mean, 'mean');
  const std = perChannel(normObj.std, 'std');
  if (std.some((s) => s === 0)) bad('normalisation.std must not be 0');

  const outputRange = raw.outputRange ?? [-1, 1];
  if (
    !Array.isArray(outputRange) ||
    outputRange.length !== 2 ||
    !outputRange.every((x) => typeof x === 'number' && isFinite(x)) ||
    outputRange[0] === outputRange[1]
  )
    bad('outputRange must be [low, high] with low ≠ high');

  if (!ok) return undefined;
  const common: EntryCommon = {
    map,
    file: raw.file as string,
    inputs,
    input_nc: inputNc,
    output_nc: output_nc as number,
    patchSize: patchSize as number,
    inferencePatchSize: inferencePatchSize as number,
    mean,
    std,
    outputRange: outputRange as [number, number],
  };
  return architecture ? { kind: 'pix2pixhd', ...common, architecture } : { kind: 'onnx', ...common };
}

/** The JSON a manifest file holds for these entries (defaults written out, so the file says everything). */
export function manifestJson(entries: NetworkEntry[]): unknown {
  return {
    format: MANIFEST_FORMAT,
    version: 1,
    networks: Object.fromEntries(
      entries.map((e) => [
        e.map,
        {
          file: e.file,
          ...(e.kind === 'pix2pixhd' && {
            architecture: Object.fromEntries(ARCH_KEYS.map((k) => [k, e.architecture[k]])),
          }),
          inputs: e.inputs,
          output_nc: e.output_nc,
          patchSize: e.patchSize,
          inferencePatchSize: e.inferencePatchSize,
          normalisation: { mean: e.mean, std: e.std },
          outputRange: e.outputRange,
        },
      ]),
    ),
  };
}
