import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageFile, sniffImage, writeFileAtomic } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'avatarme-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLE = join(import.meta.dirname, '../../../assets/astronaut.png');

describe('input images', () => {
  it('accepts the bundled PNG', () => {
    expect(readImageFile(SAMPLE).format).toBe('png');
  });
  it('rejects a text file, a missing file and a truncated JPEG with one-line reasons', () => {
    const txt = join(dir, 'notes.txt');
    writeFileSync(txt, 'hello');
    expect(() => readImageFile(txt)).toThrow(/notes.txt: unsupported format/);
    expect(() => readImageFile(join(dir, 'missing.png'))).toThrow(
      /missing.png: cannot read file \(no such file\)/,
    );
    const jpg = join(dir, 'cut.jpg');
    writeFileSync(jpg, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    expect(() => readImageFile(jpg)).toThrow(/truncated JPEG/);
    const png = join(dir, 'cut.png');
    writeFileSync(png, readFileSync(SAMPLE).subarray(0, 5000));
    expect(() => readImageFile(png)).toThrow(/truncated PNG/);
  });
  it('sniffs formats by magic bytes', () => {
    expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xdb]))).toBe('jpeg');
    expect(sniffImage(new TextEncoder().encode('RIFF....WEBPVP8 '))).toBe('webp');
    expect(sniffImage(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});

describe('atomic writes', () => {
  it('leaves only the final file', () => {
    const out = join(dir, 'sub', 'a.bin');
    writeFileAtomic(out, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(out)]).toEqual([1, 2, 3]);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.bin']);
  });
  it('fails with a one-line reason and no temporary file when the target is a directory', () => {
    const target = join(dir, 'sub');
    expect(() => writeFileAtomic(target, 'x')).toThrow(/sub: cannot write/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
