import { describe, expect, it } from 'vitest';
import { AVATARME_NETWORKS, REFLECTANCE_MAPS } from './avatarme.ts';
import { manifestJson, parseManifest, type Pix2PixHDEntry } from './manifest.ts';

const base = { format: 'avatarme-reflectance-weights', version: 1 };

describe('reflectance weights manifest', () => {
  it('fills in the named configuration and pix2pixHD defaults', () => {
    const m = parseManifest({ ...base, networks: { diffuseNormals: { file: 'dn.safetensors' } } });
    const e = m.networks.diffuseNormals as Pix2PixHDEntry;
    expect(e.kind).toBe('pix2pixhd');
    expect([e.input_nc, e.output_nc]).toEqual([6, 3]);
    expect(e.inputs).toEqual(['diffuseAlbedo', 'shapeNormals']);
    expect(e.architecture).toMatchObject({
      netG: 'global',
      ngf: 64,
      n_downsampling: 4,
      n_blocks: 9,
      norm: 'instance',
      input_nc: 6,
      output_nc: 3,
    });
    expect(e.mean).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(e.std).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(e.outputRange).toEqual([-1, 1]);
    expect([e.patchSize, e.inferencePatchSize]).toEqual([512, 1536]);
    expect(m.networks.diffuseAlbedo).toBeUndefined();
  });

  it('takes overrides: architecture, single-channel output, per-channel normalisation', () => {
    const m = parseManifest({
      ...base,
      networks: {
        specularAlbedo: {
          file: 'sa.safetensors',
          architecture: { netG: 'local', ngf: 32, norm: 'batch' },
          output_nc: 1,
          patchSize: 256,
          inferencePatchSize: 1024,
          normalisation: { mean: [0.4, 0.5, 0.6], std: 0.25 },
          outputRange: [0, 1],
        },
      },
    });
    const e = m.networks.specularAlbedo as Pix2PixHDEntry;
    expect(e.architecture).toMatchObject({
      netG: 'local',
      ngf: 32,
      norm: 'batch',
      input_nc: 3,
      output_nc: 1,
    });
    expect(e.mean).toEqual([0.4, 0.5, 0.6]);
    expect(e.std).toEqual([0.25, 0.25, 0.25]);
  });

  it('an .onnx file: no architecture, the same inputs, channels, normalisation and ranges', () => {
    const m = parseManifest({
      ...base,
      networks: {
        diffuseNormals: { file: 'normals.ONNX', inferencePatchSize: 1000 },
        specularAlbedo: {
          file: 'sa.onnx',
          output_nc: 1,
          normalisation: { mean: 0, std: 1 },
          outputRange: [0, 1],
        },
      },
    });
    expect(m.networks.diffuseNormals).toEqual({
      kind: 'onnx',
      map: 'diffuseNormals',
      file: 'normals.ONNX',
      inputs: ['diffuseAlbedo', 'shapeNormals'],
      input_nc: 6,
      output_nc: 3,
      patchSize: 512,
      // The graph's size multiple is only known once the file is read: the loader checks this.
      inferencePatchSize: 1000,
      mean: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      outputRange: [-1, 1],
    });
    expect(m.networks.specularAlbedo).toMatchObject({ kind: 'onnx', output_nc: 1, mean: [0, 0, 0] });
    const again = parseManifest(JSON.parse(JSON.stringify(manifestJson(Object.values(m.networks)))));
    expect(again).toEqual(m);
    expect(() =>
      parseManifest(
        {
          ...base,
          networks: { diffuseAlbedo: { file: 'da.onnx', architecture: { ngf: 4 }, output_nc: 0 } },
        },
        'w/manifest.json',
      ),
    ).toThrow(
      'w/manifest.json: networks.diffuseAlbedo: output_nc must be a positive integer; ' +
        'networks.diffuseAlbedo: architecture is for pix2pixHD safetensors; an .onnx file carries its own graph',
    );
  });

  it('round-trips through manifestJson', () => {
    const networks = Object.fromEntries(REFLECTANCE_MAPS.map((m) => [m, { file: `${m}.safetensors` }]));
    const m = parseManifest({ ...base, networks });
    const again = parseManifest(JSON.parse(JSON.stringify(manifestJson(Object.values(m.networks)))));
    expect(again).toEqual(m);
    for (const map of REFLECTANCE_MAPS)
      expect(again.networks[map]!.inputs).toEqual(AVATARME_NETWORKS[map].inputs);
  });

  it('lists every problem in one error naming the file', () => {
    expect(() =>
      parseManifest(
        {
          format: 'x',
          version: 2,
          networks: {
            albedo: { file: 'a' },
            diffuseAlbedo: {
              file: '../up.safetensors',
              architecture: { ngf: 0, dropout: true },
              normalisation: { mean: [0.5, 0.5], std: 0.5 },
              inferencePatchSize: 1000,
              colour: 'red',
            },
          },
        },
        'w/manifest.json',
      ),
    ).toThrow(
      'w/manifest.json: format must be "avatarme-reflectance-weights"; version 2 is not supported (1); ' +
        'networks.albedo: unknown network (known: diffuseAlbedo, specularAlbedo, diffuseNormals, specularNormals); ' +
        'networks.diffuseAlbedo: unknown field "colour"; networks.diffuseAlbedo: file must be a file name inside the weights directory; ' +
        'networks.diffuseAlbedo: architecture: unknown field "dropout" (known: netG, ngf, n_downsampling, n_blocks, norm, n_local_enhancers, n_blocks_local; input_nc follows from inputs); ' +
        'networks.diffuseAlbedo: architecture: invalid options: ngf 0 (positive integer); ' +
        'networks.diffuseAlbedo: normalisation.mean must be a number or 3 numbers (one per input channel)',
    );
  });

  it('checks the inference window against the architecture', () => {
    expect(() =>
      parseManifest({
        ...base,
        networks: { diffuseAlbedo: { file: 'a.safetensors', inferencePatchSize: 1000 } },
      }),
    ).toThrow(/inferencePatchSize 1000 must be a multiple of 16 for this architecture/);
  });
});
