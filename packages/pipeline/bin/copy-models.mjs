#!/usr/bin/env node
// avatarme-models <dir>: copies the model files a page must serve for reconstruct() into <dir>, laid
// out as ReconstructOptions.modelBaseUrl expects. Plain Node, no dependencies: it runs in any app.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HUMAN_FILES = ['blazeface', 'facemesh', 'iris', 'faceres'].flatMap((n) => [`${n}.json`, `${n}.bin`]);
const UPSCALER = '@upscalerjs/esrgan-slim';

/** The installed package folder, looked up from the app (cwd) and from this package, as Node would. */
function findPackage(name) {
  for (const start of [process.cwd(), dirname(fileURLToPath(import.meta.url))]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

function bytesIn(path) {
  if (!statSync(path).isDirectory()) return statSync(path).size;
  return readdirSync(path).reduce((sum, f) => sum + bytesIn(join(path, f)), 0);
}

const dest = process.argv[2];
if (!dest || dest.startsWith('-')) {
  console.error('usage: avatarme-models <dir>  (then pass the URL <dir> is served at as modelBaseUrl)');
  process.exit(1);
}

const human = findPackage('@vladmandic/human');
if (!human) {
  console.error('avatarme-models: @vladmandic/human is not installed (npm install @vladmandic/human)');
  process.exit(1);
}
for (const f of HUMAN_FILES) cpSync(join(human, 'models', f), join(dest, 'human', f));
cpSync(join(dirname(fileURLToPath(import.meta.url)), '../models/ict-head'), join(dest, 'ict-head'), {
  recursive: true,
});
const upscaler = findPackage(UPSCALER);
if (upscaler) cpSync(join(upscaler, 'models'), join(dest, UPSCALER, 'models'), { recursive: true });

const mb = (bytesIn(dest) / 2 ** 20).toFixed(1);
console.log(`avatarme-models: ${mb} MiB in ${dest}: human/, ict-head/${upscaler ? `, ${UPSCALER}/` : ''}`);
if (!upscaler) console.log(`  (upscale > 1 also needs ${UPSCALER}: install it and run this again)`);
