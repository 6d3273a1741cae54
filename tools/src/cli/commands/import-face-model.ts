import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
// Relative paths, not '@avatarme/pipeline/…': the CLI runs its Node side through tsx, which resolves
// workspace packages through their `exports` (built dist/ only), not through tsconfig paths.
import { importFaceXModel } from '@avatarme/pipeline/morphable/import-facex.ts';
import { nodeModelReader } from '@avatarme/pipeline/morphable/node-files.ts';
import { parseArgs } from '../args.ts';
import { CliError } from '../errors.ts';
import { writeFileAtomic } from '../files.ts';

export const IMPORT_FACE_MODEL_USAGE = 'avatarme import-face-model <FaceXModel dir> --out <dir>';

/**
 * `avatarme import-face-model <ICT-FaceKit>/FaceXModel --out <dir>`: builds the compact model folder
 * (model.json, neutral OBJ, identity/expression .f32, vertex_indices.json) that `--face-model` and the
 * demo load. ICT-FaceKit keeps LICENSE and CREDITS.md one level above FaceXModel; they are copied too.
 */
export async function importFaceModelCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['out']);
  const [input] = args.positional;
  const out = args.flags.get('out');
  if (!input || !out) throw new CliError(`usage: ${IMPORT_FACE_MODEL_USAGE}`);
  let names: string[];
  try {
    if (!statSync(input).isDirectory())
      throw new CliError(`${input}: not a directory (expected ICT-FaceKit's FaceXModel folder)`);
    names = readdirSync(input);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${input}: cannot read directory (${(e as NodeJS.ErrnoException).code})`);
  }
  const inFolder = nodeModelReader(input);
  const parent = dirname(resolve(input));
  const above = new Set(
    ['LICENSE', 'CREDITS.md'].filter((n) => !names.includes(n) && exists(join(parent, n))),
  );
  const read = (name: string) => (above.has(name) ? nodeModelReader(parent)(name) : inFolder(name));
  const t0 = performance.now();
  let last = 0;
  const model = await importFaceXModel([...names, ...above], read, (done, total) => {
    if (done === total || performance.now() - last > 2000) {
      last = performance.now();
      console.log(`read ${done}/${total} shapes`);
    }
  });
  for (const [name, data] of model.files) writeFileAtomic(join(out, name), data);
  const [ids, vertices] = model.manifest.identity_modes.shape;
  const exprs = model.manifest.expression_modes.shape[0];
  console.log(
    `wrote ${out}: ${vertices} vertices, ${ids} identity and ${exprs} expression modes in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
      (model.ignored.length ? `; not in the model: ${model.ignored.join(', ')}` : ''),
  );
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
