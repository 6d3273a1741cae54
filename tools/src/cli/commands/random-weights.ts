// Relative deep imports (tsx honours @avatarme/nets' exports map, which has no subpaths): the Node side
// must not load the GPU half of @avatarme/nets.
import {
  pix2pixhdLayout,
  type Pix2PixHDOptions,
} from '@avatarme/nets/pix2pixhd/architecture.ts';
import {
  AVATARME_ARCHITECTURE,
  AVATARME_NETWORKS,
  DEFAULT_FILES,
  NETWORK_INPUTS,
  REFLECTANCE_MAPS,
} from '@avatarme/nets/pix2pixhd/avatarme.ts';
import {
  MANIFEST_FILE,
  manifestJson,
  parseManifest,
  type NetworkEntry,
} from '@avatarme/nets/pix2pixhd/manifest.ts';
import { join } from 'node:path';
import { randomPix2PixHDSafetensors } from '@avatarme/nets/pix2pixhd/random-weights.ts';
import { intFlag, parseArgs } from '../args.ts';
import { CliError } from '../errors.ts';
import { writeFileAtomic } from '../files.ts';

export const RANDOM_WEIGHTS_USAGE =
  'avatarme random-weights --out <dir> [--ngf N] [--n-downsampling N] [--n-blocks N] [--norm instance|batch] [--netG global|local] [--seed S]';

function choice<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
  dflt: T,
): T {
  if (value === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(value))
    throw new CliError(`--${name} ${value}: expected one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * Writes seeded random-weight safetensors files for the four AvatarMe reflectance networks and the
 * manifest.json that describes them: a weights directory the loader and the pipeline accept.
 */
export async function randomWeightsCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['out', 'ngf', 'n-downsampling', 'n-blocks', 'norm', 'netG', 'seed']);
  const out = args.flags.get('out');
  if (!out || args.positional.length) throw new CliError(`usage: ${RANDOM_WEIGHTS_USAGE}`);
  const seed = Number(args.flags.get('seed') ?? '1');
  if (!Number.isInteger(seed) || seed < 0)
    throw new CliError(`--seed ${args.flags.get('seed')}: expected an integer ≥ 0`);
  const architecture = {
    ...AVATARME_ARCHITECTURE,
    ngf: intFlag(args, 'ngf', AVATARME_ARCHITECTURE.ngf)!,
    n_downsampling: intFlag(args, 'n-downsampling', AVATARME_ARCHITECTURE.n_downsampling)!,
    n_blocks: intFlag(args, 'n-blocks', AVATARME_ARCHITECTURE.n_blocks)!,
    norm: choice(args.flags.get('norm'), 'norm', ['instance', 'batch'] as const, AVATARME_ARCHITECTURE.norm),
    netG: choice(args.flags.get('netG'), 'netG', ['global', 'local'] as const, AVATARME_ARCHITECTURE.netG),
  };
  const entries: NetworkEntry[] = [];
  const t0 = performance.now();
  for (const [i, map] of REFLECTANCE_MAPS.entries()) {
    const named = AVATARME_NETWORKS[map];
    const options: Pix2PixHDOptions = {
      ...architecture,
      input_nc: named.inputs.reduce((c, k) => c + NETWORK_INPUTS[k], 0),
      output_nc: named.output_nc,
    };
    pix2pixhdLayout(options);
    const bytes = randomPix2PixHDSafetensors(options, { seed: seed + i });
    writeFileAtomic(join(out, DEFAULT_FILES[map]), bytes);
    console.log(`${DEFAULT_FILES[map]}: ${map}, ${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB`);
    entries.push(
      parseManifest({
        format: 'avatarme-reflectance-weights',
        version: 1,
        networks: { [map]: { file: DEFAULT_FILES[map], architecture } },
      }).networks[map]!,
    );
  }
  writeFileAtomic(join(out, MANIFEST_FILE), `${JSON.stringify(manifestJson(entries), null, 2)}\n`);
  console.log(
    `wrote ${out}/${MANIFEST_FILE} and 4 networks (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
