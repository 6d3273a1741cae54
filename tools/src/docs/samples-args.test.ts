import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, afterAll } from 'vitest';
import { parseSamplesArgs } from './samples-args.ts';

const dir = mkdtempSync(join(tmpdir(), 'samples-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const withGlb = join(dir, 'run');
mkdirSync(withGlb);
writeFileSync(join(withGlb, 'avatar.glb'), 'glTF');
const emptyDir = join(dir, 'empty');
mkdirSync(emptyDir);

describe('samples arguments', () => {
  it('takes a reconstruction folder for its avatar.glb, with the README defaults', () => {
    expect(parseSamplesArgs([withGlb], '/repo')).toEqual({
      glb: join(withGlb, 'avatar.glb'),
      out: '/repo/docs/samples',
      size: 320,
      environments: ['studio', 'city'],
      quality: 0.8,
    });
  });

  it('takes a .glb and the options', () => {
    const a = parseSamplesArgs(
      [join(withGlb, 'avatar.glb'), '--out', '/x', '--size', '256', '--env', 'apartment', '--quality', '0.9'],
      '/repo',
    );
    expect(a).toMatchObject({ out: '/x', size: 256, environments: ['apartment'], quality: 0.9 });
  });

  it.each([
    [[], /expected one reconstruction, got 0/],
    [[withGlb, withGlb], /expected one reconstruction, got 2/],
    [[join(dir, 'nope')], /nope: no such file or folder/],
    [[emptyDir], /empty: no avatar.glb in this folder/],
    [[withGlb, '--size', '8'], /--size: expected a number in \[64, 1024\], got 8/],
    [[withGlb, '--size'], /--size: expected a number in \[64, 1024\], got nothing/],
    [[withGlb, '--quality', 'high'], /--quality: expected a number in \[0.1, 1\], got high/],
    [[withGlb, '--env', 'studio,moon'], /--env: unknown environment "moon" \(have studio, city, apartment\)/],
    [[withGlb, '--views', 'back'], /unknown option --views/],
  ])('rejects %j in one line', (argv, message) => {
    expect(() => parseSamplesArgs(argv as string[], '/repo')).toThrow(message);
  });
});
