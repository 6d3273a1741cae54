import { statSync } from 'node:fs';
import { join } from 'node:path';

/** The bundled environments (packages/pipeline/src/skin-render/hdri); kept here so Node need not load the page's URLs. */
export const SAMPLE_ENVIRONMENTS = ['studio', 'city', 'apartment'] as const;
export type SampleEnvironment = (typeof SAMPLE_ENVIRONMENTS)[number];
/** The README's views, the back of the head included (the CLI's --renders stops at profile). */
export const SAMPLE_VIEWS = ['front', 'three-quarter', 'profile', 'back'] as const;

export interface SamplesArgs {
  /** The avatar.glb to render. */
  glb: string;
  out: string;
  size: number;
  environments: SampleEnvironment[];
  /** JPEG quality, 0–1. */
  quality: number;
}

export const SAMPLES_USAGE =
  'usage: samples <reconstruction folder | avatar.glb> [--out docs/samples] [--size 320] [--env studio,city] [--quality 0.8]';

export class SamplesError extends Error {}

function number(flag: string, text: string | undefined, lo: number, hi: number): number {
  const v = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(v) || v < lo || v > hi)
    throw new SamplesError(`${flag}: expected a number in [${lo}, ${hi}], got ${text ?? 'nothing'}`);
  return v;
}

/** Parses the command line; a folder stands for its avatar.glb. Throws SamplesError, one line. */
export function parseSamplesArgs(argv: string[], root = process.cwd()): SamplesArgs {
  const args: SamplesArgs = {
    glb: '',
    out: join(root, 'docs/samples'),
    size: 320,
    environments: ['studio', 'city'],
    quality: 0.8,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i];
    if (a === '--out') {
      const v = value();
      if (!v) throw new SamplesError('--out: expected a folder');
      args.out = v;
    } else if (a === '--size') args.size = Math.round(number('--size', value(), 64, 1024));
    else if (a === '--quality') args.quality = number('--quality', value(), 0.1, 1);
    else if (a === '--env') {
      const names = (value() ?? '').split(',').filter(Boolean);
      const unknown = names.find((n) => !(SAMPLE_ENVIRONMENTS as readonly string[]).includes(n));
      if (!names.length || unknown !== undefined)
        throw new SamplesError(
          `--env: unknown environment "${unknown ?? ''}" (have ${SAMPLE_ENVIRONMENTS.join(', ')})`,
        );
      args.environments = names as SampleEnvironment[];
    } else if (a.startsWith('--')) throw new SamplesError(`unknown option ${a}\n${SAMPLES_USAGE}`);
    else positional.push(a);
  }
  if (positional.length !== 1)
    throw new SamplesError(`expected one reconstruction, got ${positional.length}\n${SAMPLES_USAGE}`);
  const input = positional[0];
  let isDir: boolean;
  try {
    isDir = statSync(input).isDirectory();
  } catch {
    throw new SamplesError(`${input}: no such file or folder`);
  }
  args.glb = isDir ? join(input, 'avatar.glb') : input;
  if (isDir && !statSync(args.glb, { throwIfNoEntry: false })?.isFile())
    throw new SamplesError(`${input}: no avatar.glb in this folder (run avatarme reconstruct first)`);
  return args;
}
