import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandInputs } from './inputs.ts';

const dir = mkdtempSync(join(tmpdir(), 'avatarme-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'photos'));
for (const f of ['b.jpg', 'a.jpg', 'c.png', '.hidden.jpg', 'a.jpg.txt'])
  writeFileSync(join(dir, 'photos', f), '');

describe('batch inputs', () => {
  it('expands * and ? in the file name within its folder, sorted, hidden files left out', () => {
    expect(expandInputs([join(dir, 'photos/*.jpg')])).toEqual([
      join(dir, 'photos/a.jpg'),
      join(dir, 'photos/b.jpg'),
    ]);
    expect(expandInputs([join(dir, 'photos/?.png'), 'x.png'])).toEqual([join(dir, 'photos/c.png'), 'x.png']);
  });

  it('a name without wildcards is kept as given (checked when read)', () => {
    expect(expandInputs(['missing.png'])).toEqual(['missing.png']);
  });

  it('a pattern matching nothing, or in a missing folder, is one line naming it', () => {
    expect(() => expandInputs([join(dir, 'photos/*.webp')])).toThrow(
      `${join(dir, 'photos/*.webp')}: no file matches`,
    );
    expect(() => expandInputs([join(dir, 'nope/*.jpg')])).toThrow(
      /nope\/\*\.jpg: cannot read folder .*\(ENOENT\)/,
    );
  });
});
