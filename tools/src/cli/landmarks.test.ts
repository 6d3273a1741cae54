import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeTestPng } from '@avatarme/testing';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'avatarme-landmarks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const avatarme = (...args: string[]) => runCli(args, 300_000);

describe('avatarme landmarks (real Chromium + WebGPU)', () => {
  it('astronaut.png: one face, its box and 468 [x, y, z] points in image pixels', () => {
    const out = join(dir, 'astronaut.json');
    const r = avatarme('landmarks', 'assets/astronaut.png', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.faces).toHaveLength(1);
    const [face] = json.faces;
    expect(face.box).toHaveLength(4);
    expect(face.score).toBeGreaterThan(0.5);
    expect(face.landmarks).toHaveLength(468);
    const [x, y, w, h] = face.box;
    // Nearly every mesh point lies within the detection box grown by half its size (forehead and chin
    // points may leave the tight box, never the photo).
    for (const p of face.landmarks) {
      expect(p).toHaveLength(3);
      expect(p[0]).toBeGreaterThan(x - w / 2);
      expect(p[0]).toBeLessThan(x + 1.5 * w);
      expect(p[1]).toBeGreaterThan(y - h / 2);
      expect(p[1]).toBeLessThan(y + 1.5 * h);
    }
  }, 300_000);

  it('a gradient: faces [] in the file, "no face found", exit code 2', () => {
    const image = join(dir, 'gradient.png');
    writeFileSync(
      image,
      encodeTestPng(96, 64, 3, (x, y) => [x * 2, y * 3, 100]),
    );
    const out = join(dir, 'gradient.json');
    // --quiet: no progress lines, so the error is the only line on stderr.
    const r = avatarme('landmarks', image, '--out', out, '--quiet');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no face found/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ faces: [] });
  }, 300_000);
});
