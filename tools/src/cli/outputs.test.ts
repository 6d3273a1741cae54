import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outputDirectories } from './commands/reconstruct.ts';
import { checkMapBuffers, checkMapSize, checkUpscaledSize } from './limits.ts';
import {
  checkOutputDirectory,
  checkOutputFile,
  checkWritableDirectory,
  writeOutputDirectory,
} from './outputs.ts';

const root = mkdtempSync(join(tmpdir(), 'avatarme-outputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const bytes = (s: string) => new TextEncoder().encode(s);

describe('output checks before the work', () => {
  it('/proc/nope fails at once (a recursive mkdir there never returns)', () => {
    const t0 = performance.now();
    expect(() => checkWritableDirectory('/proc/nope')).toThrow(
      '/proc/nope: output directory is not writable (ENOENT)',
    );
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a path under a file fails naming it; a creatable path is tried and undone', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(() => checkWritableDirectory(join(file, 'out'))).toThrow(/a-file\/out: .*\(ENOTDIR\)/);
    const deep = join(root, 'new', 'deeper', 'out');
    checkWritableDirectory(deep);
    expect(existsSync(join(root, 'new'))).toBe(false);
  });

  it('refuses a non-empty output directory without --force, naming a file in it', () => {
    const dir = join(root, 'full');
    mkdirSync(dir);
    writeFileSync(join(dir, 'mesh.obj'), 'old');
    writeFileSync(join(dir, 'report.json'), '{}');
    expect(() => checkOutputDirectory(dir, false)).toThrow(
      `${dir}/mesh.obj: already exists (with 1 more in ${dir}); pass --force to replace avatarme's files in ${dir}`,
    );
    expect(() => checkOutputDirectory(dir, true)).not.toThrow();
    checkOutputDirectory(join(root, 'absent'), false);
    expect(existsSync(join(root, 'absent'))).toBe(false);
  });

  it('refuses an existing output file without --force, and a directory in its place always', () => {
    const file = join(root, 'x.png');
    writeFileSync(file, 'old');
    expect(() => checkOutputFile(file, false)).toThrow(`${file}: already exists; pass --force to replace it`);
    expect(() => checkOutputFile(file, true)).not.toThrow();
    expect(() => checkOutputFile(root, true)).toThrow(`${root}: is a directory (expected a file name)`);
  });
});

describe('writing a directory of outputs', () => {
  it('replaces our files, removes our stale ones and keeps the user’s', () => {
    const dir = join(root, 'replace');
    mkdirSync(dir);
    writeFileSync(join(dir, 'mesh.obj'), 'old');
    writeFileSync(join(dir, 'stale.png'), 'old');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeOutputDirectory(dir, { 'mesh.obj': bytes('new'), 'render.png': bytes('new') }, [
      'mesh.obj',
      'render.png',
      'stale.png',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['mesh.obj', 'notes.txt', 'render.png']);
    expect(readFileSync(join(dir, 'mesh.obj'), 'utf8')).toBe('new');
  });

  it('creates missing parents, and leaves no directory behind when writing fails', () => {
    const dir = join(root, 'made', 'here');
    writeOutputDirectory(dir, { 'a.bin': bytes('1') });
    expect(readdirSync(dir)).toEqual(['a.bin']);
    const failing = join(root, 'fails', 'here');
    // A file whose name is also another file's folder: its rename fails after the folder was made.
    expect(() => writeOutputDirectory(failing, { sub: bytes('1'), 'sub/x': bytes('1') })).toThrow(
      /sub: cannot write/,
    );
    expect(existsSync(join(root, 'fails'))).toBe(false);
  });

  it('writes files into a sub-folder (renders/) and owns what is in it', () => {
    const dir = join(root, 'renders');
    mkdirSync(join(dir, 'renders'), { recursive: true });
    writeFileSync(join(dir, 'renders', 'profile_old.png'), 'old');
    writeOutputDirectory(dir, { 'renders/front_studio.png': bytes('new'), 'render.png': bytes('new') }, [
      'render.png',
      'renders/',
    ]);
    expect(readdirSync(join(dir, 'renders'))).toEqual(['front_studio.png']);
    expect(readFileSync(join(dir, 'renders', 'front_studio.png'), 'utf8')).toBe('new');
  });
});

describe('limits computed before the browser starts', () => {
  it('maps above 8192² are refused, naming both options', () => {
    expect(() => checkMapSize(4096, 8)).toThrow(
      "--uv-size 4096 with --upscale 8 makes 32768×32768 maps, above the 8192×8192 limit of the render's textures",
    );
    expect(() => checkMapSize(1024, 8)).not.toThrow();
    expect(() => checkMapSize(4096, 2)).not.toThrow();
  });

  it('once the adapter is known: the maps’ float32 RGB buffer against its limits', () => {
    const small = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 };
    expect(() => checkMapBuffers(256, 8, small)).not.toThrow(); // 2048²·12 = 48 MiB
    expect(() => checkMapBuffers(1024, 4, small)).toThrow(
      "--uv-size 1024 with --upscale 4 makes 4096×4096 maps, which need 192 MiB buffers, above this adapter's 128 MiB",
    );
  });

  it('an upscaled image must stay encodable as a PNG', () => {
    expect(() => checkUpscaledSize('a.png', 2048, 2048, 8)).not.toThrow();
    expect(() => checkUpscaledSize('a.png', 4100, 100, 8)).toThrow(/a.png: 4100×100 ×8 makes 32800×800/);
    expect(() => checkUpscaledSize('a.png', 3000, 3000, 8)).toThrow(/above the PNG limit/);
  });
});

describe('batch output folders', () => {
  it('one photo: --out itself; several: --out/<name>; a {name} template', () => {
    expect(outputDirectories(['x/a.jpg'], 'o')).toEqual(['o']);
    expect(outputDirectories(['x/a.jpg', 'b.png'], 'o')).toEqual(['o/a', 'o/b']);
    expect(outputDirectories(['x/a.jpg', 'b.png'], 'o/{name}-3d')).toEqual(['o/a-3d', 'o/b-3d']);
  });

  it('refuses two photos that would share a folder', () => {
    expect(() => outputDirectories(['x/a.jpg', 'y/a.png'], 'o')).toThrow(
      'x/a.jpg and y/a.png would both write o/a (rename one, or put {name} in --out)',
    );
    expect(() => outputDirectories(['a.jpg', 'b.jpg'], 'o/{name}')).not.toThrow();
  });
});
