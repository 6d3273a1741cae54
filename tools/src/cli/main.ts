import { filterCommand } from './commands/filter.ts';
import { RECONSTRUCT_USAGE, reconstructCommand } from './commands/reconstruct.ts';
import { RANDOM_WEIGHTS_USAGE, randomWeightsCommand } from './commands/random-weights.ts';
import { IMPORT_FACE_MODEL_USAGE, importFaceModelCommand } from './commands/import-face-model.ts';
import { LANDMARKS_USAGE, landmarksCommand } from './commands/landmarks.ts';
import { UPSCALE_USAGE, upscaleCommand } from './commands/upscale.ts';
import { CliError } from './errors.ts';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<void>; usage: string }> = {
  reconstruct: { run: reconstructCommand, usage: RECONSTRUCT_USAGE },
  filter: { run: filterCommand, usage: 'avatarme filter <image> --kernel sobel|blur|sharpen --out <png>' },
  'random-weights': { run: randomWeightsCommand, usage: RANDOM_WEIGHTS_USAGE },
  'import-face-model': { run: importFaceModelCommand, usage: IMPORT_FACE_MODEL_USAGE },
  landmarks: { run: landmarksCommand, usage: LANDMARKS_USAGE },
  upscale: { run: upscaleCommand, usage: UPSCALE_USAGE },
};

function usage(): string {
  return ['usage:', ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`avatarme: unknown command "${name}"\n${usage()}`);
    return 1;
  }
  try {
    await cmd.run(rest);
    return 0;
  } catch (e) {
    const err = e as Error;
    const code = e instanceof CliError ? e.exitCode : 1;
    // One line: the reason, never a stack trace.
    console.error(`avatarme ${name}: ${err.message.split('\n')[0]}`);
    if (process.env.AVATARME_DEBUG) console.error(err.stack);
    return code;
  }
}

process.exitCode = await main(process.argv.slice(2));
