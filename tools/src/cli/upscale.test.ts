import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeTestPng, rng } from '@avatarme/testing';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'avatarme-upscale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const avatarme = (...args: string[]) => runCli(args, 300_000);

describe('avatarme upscale (real Chromium + WebGPU)', () => {
  it('super-resolves a small PNG ×2 with esrgan-slim and writes the PNG and the raw float32 output', () => {
    const r0 = rng(5);
    const [w, h] = [11, 9];
    const input = join(dir, 'small.png');
    writeFileSync(
      input,
      encodeTestPng(w, h, 3, () => [0, 1, 2].map(() => Math.floor(r0() * 256))),
    );
    const out = join(dir, 'big.png');
    const raw = join(dir, 'big.f32');
    const r = avatarme(
      'upscale',
      input,
      '--model',
      'esrgan-slim',
      '--scale',
      '2',
      '--out',
      out,
      '--raw',
      raw,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/11×9 → 22×18 with esrgan-slim ×2/);
    const image = readFileSync(out);
    expect(image.subarray(1, 4).toString()).toBe('PNG');
    expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([22, 18]);
    const values = new Float32Array(new Uint8Array(readFileSync(raw)).buffer);
    expect(values.length).toBe(22 * 18 * 3);
    // RDN output is on the [0, 255] scale (it may over/undershoot a little before clamping).
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(values.every(Number.isFinite)).toBe(true);
    expect(mean).toBeGreaterThan(64);
    expect(mean).toBeLessThan(192);
  });
  it('runs the same network from an ONNX file (tools/onnx/export_esrgan.py) to the same raw output', () => {
    // Reads the input and the raw output of the test above: the same weights through importOnnx.
    const raw = join(dir, 'big.f32');
    const onnxRaw = join(dir, 'big-onnx.f32');
    const model = 'assets/onnx/esrgan-slim-x2.onnx';
    const r = avatarme(
      'upscale',
      join(dir, 'small.png'),
      '--model',
      model,
      '--out',
      join(dir, 'big-onnx.png'),
      '--raw',
      onnxRaw,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/11×9 → 22×18 with assets\/onnx\/esrgan-slim-x2\.onnx ×2/);
    const a = new Float32Array(new Uint8Array(readFileSync(onnxRaw)).buffer);
    const b = new Float32Array(new Uint8Array(readFileSync(raw)).buffer);
    expect(a.length).toBe(b.length);
    // Same weights, same executor; the ONNX graph is lowered separately from model.json (PyTorch
    // export: symmetric pads, NCHW weights transposed back), so only f32 rounding may differ.
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-3);
  });
  it('rejects a non-image with exit code 1 and one line', () => {
    const bad = join(dir, 'bad.jpg');
    writeFileSync(bad, 'not an image');
    const r = avatarme('upscale', bad, '--model', 'esrgan-slim', '--scale', '2', '--out', join(dir, 'x.png'));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad.jpg: unsupported format/);
  });
  it('rejects a missing file, an unknown model and a scale the model does not have', () => {
    const cases: [string[], RegExp][] = [
      [
        ['upscale', join(dir, 'nope.png'), '--out', join(dir, 'x.png')],
        /nope.png: cannot read file \(no such file\)/,
      ],
      [
        ['upscale', 'assets/astronaut.png', '--model', 'huge', '--out', join(dir, 'x.png')],
        /--model huge: expected one of/,
      ],
      [
        [
          'upscale',
          'assets/astronaut.png',
          '--model',
          'default',
          '--scale',
          '4',
          '--out',
          join(dir, 'x.png'),
        ],
        /--scale 4: expected one of 2/,
      ],
      [
        [
          'upscale',
          'assets/astronaut.png',
          '--model',
          'assets/onnx/esrgan-slim-x2.onnx',
          '--scale',
          '4',
          '--out',
          join(dir, 'x.png'),
        ],
        /--scale 4: assets\/onnx\/esrgan-slim-x2\.onnx upscales ×2/,
      ],
      [
        ['upscale', 'assets/astronaut.png', '--model', join(dir, 'none.onnx'), '--out', join(dir, 'x.png')],
        /none\.onnx: cannot read file \(no such file\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = avatarme(...args);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
