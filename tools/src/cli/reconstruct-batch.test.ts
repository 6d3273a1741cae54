import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeTestPng } from '@avatarme/testing';
import { RECONSTRUCT_OUTPUTS } from './commands/reconstruct.ts';

// Two reconstructions at --uv-size 64 with the light FaceMesh shape and one detection without a face,
// all in one browser: a few minutes on SwiftShader.
const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'tools/bin/avatarme.mjs');
const dir = mkdtempSync(join(tmpdir(), 'avatarme-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RUN_MS = 900_000;

describe('avatarme reconstruct: a batch in one browser (real Chromium + WebGPU)', () => {
  it(
    'two photos and one without a face: a folder per photo, the others go on, exit 2, one JSON summary',
    () => {
      for (const name of ['anna.png', 'bert.png'])
        copyFileSync(join(ROOT, 'assets/astronaut.png'), join(dir, name));
      writeFileSync(
        join(dir, 'sky.png'),
        encodeTestPng(96, 64, 3, (x, y) => [x * 2, y * 3, 100]),
      );
      const out = join(dir, 'out');
      // An earlier run's folder: --force replaces our files in it and keeps the user's.
      mkdirSync(join(out, 'bert'), { recursive: true });
      writeFileSync(join(out, 'bert', 'mesh.obj'), 'old');
      writeFileSync(join(out, 'bert', 'notes.txt'), 'mine');
      const r = spawnSync(
        process.execPath,
        [
          CLI,
          'reconstruct',
          'anna.png',
          'sky.png',
          'bert.png',
          '--out',
          'out',
          '--uv-size',
          '64',
          '--shape',
          'facemesh',
          '--force',
          '--json',
        ],
        { cwd: dir, encoding: 'utf8', timeout: RUN_MS },
      );
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('avatarme reconstruct: sky.png: no face found\n');
      // stdout holds exactly one JSON object; the human lines went to stderr.
      const summary = JSON.parse(r.stdout);
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      expect(summary).toMatchObject({ command: 'reconstruct', status: 'no-face', exitCode: 2 });
      expect(summary.adapter).toMatch(/\//);
      expect(summary.elapsedMs).toBeGreaterThan(0);
      const [anna, sky, bert] = summary.inputs;
      expect(sky).toEqual({
        input: 'sky.png',
        status: 'no-face',
        exitCode: 2,
        error: 'sky.png: no face found',
        out: 'out/sky',
      });
      expect(existsSync(join(out, 'sky'))).toBe(false);
      for (const [entry, name] of [
        [anna, 'anna'],
        [bert, 'bert'],
      ] as const) {
        expect(entry).toMatchObject({ input: `${name}.png`, status: 'ok', exitCode: 0, out: `out/${name}` });
        expect(entry.outputs).toEqual(RECONSTRUCT_OUTPUTS);
        expect(Object.keys(entry.timingsMs)).toEqual([
          'detect',
          'landmarks',
          'fit',
          'unwrap',
          'upsample',
          'reflectance',
          'export',
          'total',
        ]);
        expect(entry.quality.roundTrip.rerenderPsnrDb).toBeGreaterThan(15);
        const report = JSON.parse(readFileSync(join(out, name, 'report.json'), 'utf8'));
        expect(entry.quality.fit).toEqual(report.fit);
      }
      expect(readdirSync(join(out, 'anna')).sort()).toEqual(RECONSTRUCT_OUTPUTS);
      expect(readdirSync(join(out, 'bert')).sort()).toEqual([...RECONSTRUCT_OUTPUTS, 'notes.txt'].sort());
      expect(readFileSync(join(out, 'bert', 'mesh.obj'), 'utf8')).not.toBe('old');
      expect(readFileSync(join(out, 'bert', 'notes.txt'), 'utf8')).toBe('mine');
    },
    RUN_MS,
  );
});
