import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkWeightsDirectory } from './weights-check.ts';

const ONNX = resolve(import.meta.dirname, '../../../assets/onnx');

describe('checkWeightsDirectory with .onnx entries (before any browser starts)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A directory with tools/onnx/make_reflectance_net.py's networks and a manifest of `networks`. */
  function weightsDir(networks: Record<string, unknown>): string {
    dir = mkdtempSync(join(tmpdir(), 'avatarme-onnx-weights-'));
    copyFileSync(join(ONNX, 'reflectance-tiny-3to3.onnx'), join(dir, 'albedo.onnx'));
    copyFileSync(join(ONNX, 'reflectance-tiny-6to3.onnx'), join(dir, 'normals.onnx'));
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ format: 'avatarme-reflectance-weights', version: 1, networks }),
    );
    return dir;
  }

  it('accepts ONNX networks whose channels fit their entries', () => {
    const d = weightsDir({
      diffuseAlbedo: { file: 'albedo.onnx' },
      specularAlbedo: { file: 'albedo.onnx' },
      diffuseNormals: { file: 'normals.onnx' },
    });
    expect(checkWeightsDirectory(d).map((e) => [e.map, e.kind])).toEqual([
      ['diffuseAlbedo', 'onnx'],
      ['specularAlbedo', 'onnx'],
      ['diffuseNormals', 'onnx'],
    ]);
  });

  it('one line naming the file: missing, or channels that do not fit', () => {
    let d = weightsDir({ specularNormals: { file: 'specular_normals.onnx' } });
    expect(() => checkWeightsDirectory(d)).toThrow(
      `${join(d, 'specular_normals.onnx')}: cannot read (no such file)`,
    );
    rmSync(d, { recursive: true });
    d = weightsDir({ specularAlbedo: { file: 'normals.onnx' } });
    expect(() => checkWeightsDirectory(d)).toThrow(
      `${join(d, 'normals.onnx')}: input "x" takes 6 channels; the manifest's specularAlbedo feeds it 3: diffuseAlbedo (3)`,
    );
  });
});
