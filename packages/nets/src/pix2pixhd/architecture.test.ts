import { describe, expect, it } from 'vitest';
import { randomPix2PixHDSafetensors, randomPix2PixHDStateDict } from './random-weights.ts';
import { SafetensorsFile } from '../safetensors/reader.ts';
import { writeSafetensors } from '../safetensors/writer.ts';
import { parameterSpec, pix2pixhdLayout, sizeMultiple } from './architecture.ts';
import { checkStateDict } from './state-dict.ts';

const shapes = (o: Parameters<typeof pix2pixhdLayout>[0]) =>
  Object.fromEntries([...parameterSpec(pix2pixhdLayout(o))].map(([k, p]) => [k, p.shape]));

describe('pix2pixHD key tables (reference-facts §2.2–2.4)', () => {
  it('GlobalGenerator with the training defaults (n_down 4, 9 blocks): the module index table', () => {
    const s = shapes({ input_nc: 3, output_nc: 3 });
    expect(s['model.1.weight']).toEqual([64, 3, 7, 7]);
    expect(s['model.4.weight']).toEqual([128, 64, 3, 3]);
    expect(s['model.7.weight']).toEqual([256, 128, 3, 3]);
    expect(s['model.10.weight']).toEqual([512, 256, 3, 3]);
    expect(s['model.13.weight']).toEqual([1024, 512, 3, 3]);
    for (let i = 16; i <= 24; i++) {
      expect(s[`model.${i}.conv_block.1.weight`]).toEqual([1024, 1024, 3, 3]);
      expect(s[`model.${i}.conv_block.5.bias`]).toEqual([1024]);
    }
    expect(s['model.25.weight']).toEqual([1024, 512, 3, 3]); // ConvTranspose2d: [in, out, kh, kw]
    expect(s['model.28.weight']).toEqual([512, 256, 3, 3]);
    expect(s['model.31.weight']).toEqual([256, 128, 3, 3]);
    expect(s['model.34.weight']).toEqual([128, 64, 3, 3]);
    expect(s['model.38.weight']).toEqual([3, 64, 7, 7]);
    // 4 + 4 + 9·2 + 1 convolutions, weight and bias each; instance norm has no parameters.
    expect(Object.keys(s).length).toBe(2 * (1 + 4 + 18 + 4 + 1));
  });

  it('the class default n_down 3: convs 1,4,7,10, blocks 13..21, ConvT 22,25,28, final conv 32', () => {
    const s = shapes({ n_downsampling: 3 });
    for (const i of [1, 4, 7, 10, 22, 25, 28, 32]) expect(s[`model.${i}.weight`]).toBeDefined();
    expect(s['model.13.conv_block.1.weight']).toEqual([512, 512, 3, 3]);
    expect(s['model.21.conv_block.5.weight']).toEqual([512, 512, 3, 3]);
    expect(s['model.22.weight']).toEqual([512, 256, 3, 3]);
  });

  it('batch norm adds weight, bias, running stats and num_batches_tracked after each conv but the last', () => {
    const spec = parameterSpec(pix2pixhdLayout({ n_downsampling: 1, n_blocks: 1, ngf: 8, norm: 'batch' }));
    for (const k of ['model.2', 'model.5', 'model.7.conv_block.2', 'model.7.conv_block.6', 'model.9'])
      expect(spec.get(`${k}.running_var`)?.shape).toBeDefined();
    expect(spec.get('model.2.num_batches_tracked')).toEqual({ shape: [], optional: true });
    expect([...spec.keys()].filter((k) => k.startsWith('model.13'))).toEqual([]);
    expect(spec.get('model.12.weight')?.shape).toEqual([3, 8, 7, 7]);
  });

  it('LocalEnhancer: doubled global widths without the final conv, model1_1 and model1_2 keys', () => {
    const s = shapes({ netG: 'local', ngf: 64 });
    expect(s['model.1.weight']).toEqual([128, 3, 7, 7]);
    expect(s['model.34.weight']).toEqual([256, 128, 3, 3]);
    expect(s['model.38.weight']).toBeUndefined();
    expect(s['model1_1.1.weight']).toEqual([64, 3, 7, 7]);
    expect(s['model1_1.4.weight']).toEqual([128, 64, 3, 3]);
    for (const j of [0, 1, 2]) expect(s[`model1_2.${j}.conv_block.5.weight`]).toEqual([128, 128, 3, 3]);
    expect(s['model1_2.3.weight']).toEqual([128, 64, 3, 3]);
    expect(s['model1_2.7.weight']).toEqual([3, 64, 7, 7]);
    expect(sizeMultiple(pix2pixhdLayout({ netG: 'local' }).options)).toBe(32);
  });

  it('two local levels: the final conv only in the finest level', () => {
    const s = shapes({ netG: 'local', ngf: 8, n_local_enhancers: 2, n_blocks_local: 1 });
    expect(s['model.1.weight']).toEqual([32, 3, 7, 7]);
    expect(s['model1_1.1.weight']).toEqual([16, 3, 7, 7]);
    expect(s['model1_2.1.weight']).toEqual([32, 16, 3, 3]);
    expect(s['model1_2.5.weight']).toBeUndefined();
    expect(s['model2_1.4.weight']).toEqual([16, 8, 3, 3]);
    expect(s['model2_2.5.weight']).toEqual([3, 8, 7, 7]);
  });

  it('rejects bad options in one message', () => {
    expect(() => pix2pixhdLayout({ ngf: 0, norm: 'group' as never })).toThrow(
      /^pix2pixHD: invalid options: ngf 0 \(positive integer\); norm "group" \('instance' or 'batch'\)$/,
    );
  });
});

describe('state_dict check', () => {
  const opts = { ngf: 8, n_downsampling: 2, n_blocks: 2, norm: 'batch' as const };

  it('accepts a random file for the configuration', () => {
    const file = SafetensorsFile.parse(randomPix2PixHDSafetensors(opts, { seed: 3 }), 'g.safetensors');
    expect(() => checkStateDict(file, pix2pixhdLayout(opts))).not.toThrow();
    expect(JSON.parse(file.metadata['avatarme.pix2pixhd'])).toMatchObject(opts);
  });

  it('accepts F16 weights and a file without num_batches_tracked', () => {
    const dict = randomPix2PixHDStateDict(opts);
    for (const k of Object.keys(dict)) {
      if (k.endsWith('num_batches_tracked')) delete dict[k];
      else if (k.startsWith('model.1.')) dict[k] = { ...dict[k], dtype: 'F16' };
    }
    const file = SafetensorsFile.parse(writeSafetensors(dict), 'h.safetensors');
    expect(() => checkStateDict(file, pix2pixhdLayout(opts))).not.toThrow();
  });

  it('lists missing, unexpected and mis-shaped keys in one error', () => {
    const dict = randomPix2PixHDStateDict(opts);
    delete dict['model.4.weight'];
    delete dict['model.2.running_var'];
    dict['model.99.weight'] = { dtype: 'F32', shape: [1], data: new Float32Array(1) };
    dict['model.1.bias'] = { dtype: 'F32', shape: [9], data: new Float32Array(9) };
    const file = SafetensorsFile.parse(writeSafetensors(dict), 'bad.safetensors');
    let message = '';
    try {
      checkStateDict(file, pix2pixhdLayout(opts));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      'bad.safetensors: state_dict does not match pix2pixHD global ngf 8, 2 downsamplings, 2 blocks, batch norm, 3→3 channels: ' +
        'missing 2: model.2.running_var [8], model.4.weight [16, 8, 3, 3]; unexpected 1: model.99.weight [1]; ' +
        'wrong shape or dtype 1: model.1.bias [9] (expected [8])',
    );
  });

  it('an instance-norm network rejects batch-norm keys, and hints at the DataParallel prefix', () => {
    const dict = randomPix2PixHDStateDict({ ...opts, norm: 'batch' });
    dict['module.model.1.weight'] = dict['model.1.weight'];
    const file = SafetensorsFile.parse(writeSafetensors(dict), 'x.safetensors');
    expect(() => checkStateDict(file, pix2pixhdLayout({ ...opts, norm: 'instance' }))).toThrow(
      // 9 batch norms × 5 keys + the prefixed copy; six are listed.
      /^x.safetensors: state_dict does not match .*instance norm.*: unexpected 46: model.10.conv_block.2.num_batches_tracked \[\], .* and 40 more \(strip the DataParallel "module." prefix\)$/,
    );
  });
});
