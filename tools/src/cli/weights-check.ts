// Deep subpaths: the Node side must not load the GPU half of @avatarme/nets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pix2pixhdLayout } from '@avatarme/nets/pix2pixhd/architecture.ts';
import {
  MANIFEST_FILE,
  parseManifest,
  type NetworkEntry,
} from '@avatarme/pipeline/reflectance/learned/manifest.ts';
import { checkOnnxNetwork } from '@avatarme/pipeline/reflectance/learned/onnx-check.ts';
import { importOnnx } from '@avatarme/nets/onnx/import.ts';
import { checkStateDict } from '@avatarme/nets/pix2pixhd/state-dict.ts';
import { SafetensorsFile } from '@avatarme/nets/safetensors/reader.ts';
import { CliError } from './errors.ts';

function read(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: cannot read (${code === 'ENOENT' ? 'no such file' : code})`);
  }
}

/**
 * Checks a reflectance weights directory before any GPU work, with the loader's own checks: the
 * manifest, then each file it names (present; a valid safetensors file with exactly the parameters and
 * shapes its architecture needs, or an ONNX graph the importer lowers whose channels and sizes fit
 * its entry). One file is held in memory at a time. Throws one line naming the file.
 */
export function checkWeightsDirectory(dir: string): NetworkEntry[] {
  const manifestPath = join(dir, MANIFEST_FILE);
  const bytes = read(manifestPath);
  try {
    const manifest = parseManifest(JSON.parse(new TextDecoder().decode(bytes)), manifestPath);
    const entries = Object.values(manifest.networks) as NetworkEntry[];
    for (const entry of entries) {
      const path = join(dir, entry.file);
      if (entry.kind === 'onnx') checkOnnxNetwork(read(path), entry, path, importOnnx);
      else checkStateDict(SafetensorsFile.parse(read(path), path), pix2pixhdLayout(entry.architecture));
    }
    return entries;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const message = (e as Error).message.split('\n')[0];
    throw new CliError(e instanceof SyntaxError ? `${manifestPath}: not valid JSON (${message})` : message);
  }
}
