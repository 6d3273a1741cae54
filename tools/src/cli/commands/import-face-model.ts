import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
// Deep subpaths: the Node side must not load the pipeline's GPU modules.
import { importFaceXModel, NEUTRAL_OBJ, VERTEX_INDICES } from '@avatarme/pipeline/morphable/import-facex.ts';
import { nodeModelReader } from '@avatarme/pipeline/morphable/node-files.ts';
import { defineCommand } from '../command.ts';
import { CliError } from '../errors.ts';
import { checkOutputDirectory, writeOutputDirectory } from '../outputs.ts';
import { OUTPUT_OPTIONS } from '../spec.ts';

/** Every file an import can write: with --force, those this import did not write are removed. */
const MODEL_FILES = [
  'model.json',
  NEUTRAL_OBJ,
  VERTEX_INDICES,
  'identity_modes.f32',
  'expression_modes.f32',
  'ICTFaceModelMaterial.mtl',
  'LICENSE',
  'CREDITS.md',
];

/**
 * Builds the compact model folder (model.json, neutral OBJ, identity/expression .f32,
 * vertex_indices.json) that `--face-model` and the demo load. ICT-FaceKit keeps LICENSE and CREDITS.md
 * one level above FaceXModel; they are copied too.
 */
export const importFaceModelCommand = defineCommand(
  {
    name: 'import-face-model',
    summary: "convert ICT-FaceKit's FaceXModel folder into the model folder that --face-model loads",
    positional: { name: '<FaceXModel dir>', description: "ICT-FaceKit's FaceXModel folder" },
    options: {
      out: { type: 'string', value: '<dir>', required: true, description: 'the model folder to write' },
      ...OUTPUT_OPTIONS,
    },
    examples: ['avatarme import-face-model ICT-FaceKit/FaceXModel --out ict-face-model'],
  },
  async ({ positional: [input], options: { out, force } }, io) => {
    let names: string[];
    try {
      if (!statSync(input).isDirectory())
        throw new CliError(`${input}: not a directory (expected ICT-FaceKit's FaceXModel folder)`);
      names = readdirSync(input);
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`${input}: cannot read directory (${(e as NodeJS.ErrnoException).code})`);
    }
    checkOutputDirectory(out, force);
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
        io.info(`read ${done}/${total} shapes`);
      }
    });
    writeOutputDirectory(out, Object.fromEntries(model.files), MODEL_FILES);
    const [ids, vertices] = model.manifest.identity_modes.shape;
    const exprs = model.manifest.expression_modes.shape[0];
    const elapsedMs = performance.now() - t0;
    io.info(
      `wrote ${out}: ${vertices} vertices, ${ids} identity and ${exprs} expression modes in ${(elapsedMs / 1000).toFixed(1)} s` +
        (model.ignored.length ? `; not in the model: ${model.ignored.join(', ')}` : ''),
    );
    return {
      status: 'ok',
      exitCode: 0,
      out,
      outputs: [...model.files.keys()],
      vertices,
      identityModes: ids,
      expressionModes: exprs,
      elapsedMs: Math.round(elapsedMs),
    };
  },
);

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
