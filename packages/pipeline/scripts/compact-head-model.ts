// Regenerates the compact ICT head shipped in packages/pipeline/models/ict-head/ from a full model
// folder (what `avatarme import-face-model` writes from ICT-FaceKit's FaceXModel folder):
//   npx tsx packages/pipeline/scripts/compact-head-model.ts <full model dir> [<out dir>]
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactModelFolder } from '../src/morphable/compact.ts';

const [source, outArg] = process.argv.slice(2);
if (!source) {
  console.error(
    'usage: npx tsx packages/pipeline/scripts/compact-head-model.ts <full model dir> [<out dir>]',
  );
  process.exit(1);
}
const out = resolve(outArg ?? join(dirname(fileURLToPath(import.meta.url)), '../models/ict-head'));
try {
  const m = JSON.parse(await readFile(join(source, 'model.json'), 'utf8'));
  const bytes = async (f: string) => {
    const b = await readFile(join(source, f));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };
  const files = compactModelFolder({
    manifest: await readFile(join(source, 'model.json'), 'utf8'),
    neutralObj: await readFile(join(source, String(m.neutral).split(/\s+/)[0]), 'utf8'),
    identity: await bytes(m.identity_modes.file),
    expression: await bytes(m.expression_modes.file),
    vertexIndices: await readFile(join(source, 'vertex_indices.json'), 'utf8'),
  });
  await mkdir(out, { recursive: true });
  for (const [name, data] of Object.entries(files)) {
    await writeFile(join(out, `${name}.tmp`), data);
    await rename(join(out, `${name}.tmp`), join(out, name));
  }
  for (const f of ['LICENSE', 'CREDITS.md']) await copyFile(join(source, f), join(out, f));
  console.log(`${out}: ${Object.keys(files).length + 2} files`);
} catch (e) {
  console.error(`compact-head-model: ${(e as Error).message}`);
  process.exit(1);
}
