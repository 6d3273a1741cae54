import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi, afterAll } from 'vitest';
import { pix2pixhdLayout } from '@avatarme/nets/pix2pixhd/architecture.ts';
import { parseManifest } from '@avatarme/pipeline/reflectance/learned/manifest.ts';
import { checkStateDict } from '@avatarme/nets/pix2pixhd/state-dict.ts';
import { SafetensorsFile } from '@avatarme/nets/safetensors/reader.ts';
import { randomWeightsCommand } from './random-weights.ts';

const CLI = resolve(import.meta.dirname, '../../../bin/avatarme.mjs');

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function run(argv: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rw-'));
  made.push(dir);
  vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await randomWeightsCommand(['--out', dir, ...argv]);
  } finally {
    vi.restoreAllMocks();
  }
  return dir;
}

describe('avatarme random-weights', () => {
  it('writes four safetensors files that match the manifest it writes', async () => {
    const dir = await run([
      '--ngf',
      '4',
      '--n-downsampling',
      '2',
      '--n-blocks',
      '1',
      '--norm',
      'batch',
      '--netG',
      'local',
      '--seed',
      '3',
    ]);
    const manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    const entries = Object.values(manifest.networks);
    expect(entries.map((e) => e.map)).toEqual([
      'diffuseAlbedo',
      'specularAlbedo',
      'diffuseNormals',
      'specularNormals',
    ]);
    for (const e of entries) {
      if (e.kind !== 'pix2pixhd') throw new Error(`${e.file}: not a pix2pixHD entry`);
      expect(e.architecture).toMatchObject({
        ngf: 4,
        n_downsampling: 2,
        n_blocks: 1,
        norm: 'batch',
        netG: 'local',
      });
      const file = SafetensorsFile.parse(new Uint8Array(readFileSync(join(dir, e.file))), e.file);
      expect(() => checkStateDict(file, pix2pixhdLayout(e.architecture))).not.toThrow();
      expect(JSON.parse(file.metadata['avatarme.pix2pixhd']).input_nc).toBe(e.inputs.length * 3);
    }
  });

  it('is reproducible from the seed and draws weights N(0, 0.02)', async () => {
    const [a, b, c] = await Promise.all([
      run(['--ngf', '8', '--n-blocks', '1', '--seed', '9']),
      run(['--ngf', '8', '--n-blocks', '1', '--seed', '9']),
      run(['--ngf', '8', '--n-blocks', '1', '--seed', '10']),
    ]);
    const bytes = (d: string) => readFileSync(join(d, 'diffuse_albedo.safetensors'));
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
    const w = SafetensorsFile.parse(new Uint8Array(bytes(a))).float32('model.16.conv_block.1.weight');
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    // 128·128·9 = 147,456 samples: the sample std is within 1% of 0.02 with overwhelming probability.
    expect(Math.abs(mean)).toBeLessThan(2e-4);
    expect(std).toBeGreaterThan(0.0198);
    expect(std).toBeLessThan(0.0202);
  });

  it('rejects bad options in one line', async () => {
    await expect(run(['--norm', 'group'])).rejects.toThrow('--norm group: expected one of instance, batch');
    await expect(run(['--ngf', '-1'])).rejects.toThrow('--ngf -1: expected a positive integer');
    await expect(randomWeightsCommand([])).rejects.toThrow(/^usage: avatarme random-weights --out <dir>/);
  });

  it('refuses to write over an earlier run without --force, replaces it with --force, and prints one JSON object with --json', async () => {
    const small = ['--ngf', '4', '--n-downsampling', '2', '--n-blocks', '1'];
    const dir = await run(small);
    const before = readFileSync(join(dir, 'manifest.json'), 'utf8');
    await expect(randomWeightsCommand(['--out', dir, ...small, '--seed', '2'])).rejects.toThrow(
      `${dir}/diffuse_albedo.safetensors: already exists (with 4 more in ${dir}); pass --force to replace avatarme's files in ${dir}`,
    );
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(before);
    const r = spawnSync(
      process.execPath,
      [CLI, 'random-weights', '--out', dir, ...small, '--seed', '2', '--force', '--json'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      command: 'random-weights',
      status: 'ok',
      exitCode: 0,
      out: dir,
      outputs: [
        'diffuse_albedo.safetensors',
        'specular_albedo.safetensors',
        'diffuse_normals.safetensors',
        'specular_normals.safetensors',
        'manifest.json',
      ],
    });
    expect(readdirSync(dir).sort()).toEqual([
      'diffuse_albedo.safetensors',
      'diffuse_normals.safetensors',
      'manifest.json',
      'specular_albedo.safetensors',
      'specular_normals.safetensors',
    ]);
  });
});
