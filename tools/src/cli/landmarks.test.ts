import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'tools/bin/avatarme.mjs');
const dir = mkdtempSync(join(tmpdir(), 'avatarme-landmarks-'));

function avatarme(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
}

/** A minimal RGB PNG (one IDAT, filter 0 on every row). */
function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (width * 3 + 1) + 1 + x * 3);
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

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
      png(96, 64, (x, y) => [x * 2, y * 3, 100]),
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
