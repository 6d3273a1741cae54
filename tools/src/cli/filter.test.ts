import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'avatarme-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const avatarme = (...args: string[]) => runCli(args, 120_000);

describe('avatarme filter (real Chromium + WebGPU)', () => {
  it('writes a PNG of the same size as the photo', () => {
    const out = join(dir, 'edges.png');
    const r = avatarme('filter', 'assets/astronaut.png', '--kernel', 'blur', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/adapter: /);
    const png = readFileSync(out);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
  });
  it('rejects a non-image with exit code 1 and one line', () => {
    const bad = join(dir, 'bad.png');
    writeFileSync(bad, 'not an image');
    const r = avatarme('filter', bad, '--out', join(dir, 'x.png'));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad.png: unsupported format/);
  });
  it('rejects an unknown command', () => {
    const r = avatarme('frobnicate');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
