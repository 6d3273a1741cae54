import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCliBundle, currentCliBundle } from '../../setup/cli-bundle.mjs';
import { ROOT } from './run-cli.ts';

const dir = join(ROOT, `node_modules/.cache/avatarme-cli-test-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bundled CLI', () => {
  it('runs like the sources, and is current only while its inputs are unchanged', async () => {
    await buildCliBundle(dir);
    const main = currentCliBundle(dir);
    expect(main).toBe(join(dir, 'main.js'));
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(execFileSync(process.execPath, [main!, '--version'], { encoding: 'utf8' }).trim()).toBe(
      `avatarme ${version}`,
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.inputs).toContain('tools/src/cli/main.ts');
    expect(manifest.inputs.some((f: string) => f.startsWith('packages/'))).toBe(true);
    // An input whose contents differ from the build's (as an edit would make them), or one gone: stale.
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, hash: '0'.repeat(64) }));
    expect(currentCliBundle(dir)).toBeUndefined();
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ ...manifest, inputs: [...manifest.inputs, 'tools/src/cli/gone.ts'] }),
    );
    expect(currentCliBundle(dir)).toBeUndefined();
  }, 60_000);
});
