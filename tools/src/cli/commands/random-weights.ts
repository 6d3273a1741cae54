// Deep subpaths: the Node side must not load the GPU half of @avatarme/nets.
import { pix2pixhdLayout, type Pix2PixHDOptions } from '@avatarme/nets/pix2pixhd/architecture.ts';
import {
  AVATARME_ARCHITECTURE,
  AVATARME_NETWORKS,
  DEFAULT_FILES,
  NETWORK_INPUTS,
  REFLECTANCE_MAPS,
} from '@avatarme/pipeline/reflectance/learned/avatarme.ts';
import {
  MANIFEST_FILE,
  manifestJson,
  parseManifest,
  type NetworkEntry,
} from '@avatarme/pipeline/reflectance/learned/manifest.ts';
import { join } from 'node:path';
import { randomPix2PixHDSafetensors } from '@avatarme/nets/pix2pixhd/random-weights.ts';
import { defineCommand } from '../command.ts';
import { writeFileAtomic } from '../files.ts';
import { checkOutputDirectory } from '../outputs.ts';
import { OUTPUT_OPTIONS } from '../spec.ts';

const A = AVATARME_ARCHITECTURE;

export const randomWeightsCommand = defineCommand(
  {
    name: 'random-weights',
    summary: 'write seeded random pix2pixHD weights for the four reflectance networks (a test --weights dir)',
    options: {
      out: { type: 'string', value: '<dir>', required: true, description: 'the weights directory to write' },
      ngf: { type: 'int', value: '<N>', min: 1, default: A.ngf, description: 'filters of the first layer' },
      'n-downsampling': {
        type: 'int',
        value: '<N>',
        min: 1,
        default: A.n_downsampling,
        description: 'downsampling steps of the global generator',
      },
      'n-blocks': {
        type: 'int',
        value: '<N>',
        min: 1,
        default: A.n_blocks,
        description: 'residual blocks of the global generator',
      },
      norm: { type: 'string', choices: ['instance', 'batch'], default: A.norm, description: 'normalisation' },
      netG: {
        type: 'string',
        choices: ['global', 'local'],
        default: A.netG,
        description: 'generator: global, or global + local enhancer',
      },
      seed: {
        type: 'int',
        value: '<S>',
        min: 0,
        default: 1,
        description: 'random seed (network i uses S + i)',
      },
      ...OUTPUT_OPTIONS,
    },
    examples: ['avatarme random-weights --out weights --ngf 4 --n-downsampling 2 --n-blocks 1'],
  },
  /**
   * Seeded random-weight safetensors files for the four AvatarMe reflectance networks and the
   * manifest.json that describes them: a weights directory the loader and the pipeline accept.
   */
  async ({ options: o }, io) => {
    checkOutputDirectory(o.out, o.force);
    const architecture = {
      ...A,
      ngf: o.ngf,
      n_downsampling: o['n-downsampling'],
      n_blocks: o['n-blocks'],
      norm: o.norm as 'instance' | 'batch',
      netG: o.netG as 'global' | 'local',
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
      const bytes = randomPix2PixHDSafetensors(options, { seed: o.seed + i });
      writeFileAtomic(join(o.out, DEFAULT_FILES[map]), bytes);
      io.info(`${DEFAULT_FILES[map]}: ${map}, ${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB`);
      entries.push(
        parseManifest({
          format: 'avatarme-reflectance-weights',
          version: 1,
          networks: { [map]: { file: DEFAULT_FILES[map], architecture } },
        }).networks[map]!,
      );
    }
    writeFileAtomic(join(o.out, MANIFEST_FILE), `${JSON.stringify(manifestJson(entries), null, 2)}\n`);
    const elapsedMs = performance.now() - t0;
    io.info(
      `wrote ${o.out}/${MANIFEST_FILE} and 4 networks (seed ${o.seed}) in ${(elapsedMs / 1000).toFixed(1)} s`,
    );
    return {
      status: 'ok',
      exitCode: 0,
      out: o.out,
      outputs: [...entries.map((e) => e.file), MANIFEST_FILE],
      elapsedMs: Math.round(elapsedMs),
    };
  },
);
