import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuseGraph } from '../ir/fuse.ts';
import { inferShapes } from '../ir/shapes.ts';
import { importLayersModel } from './load.ts';
import { halfToFloat } from '../float16.ts';
import { decodeWeight, readWeights, type WeightEntry } from '../tfjs/weights.ts';
import { parseModelJson } from './model-json.ts';

const ROOT = resolve(import.meta.dirname, '../../../..');
const UPSCALER = join(ROOT, 'node_modules/@upscalerjs');

function source(
  dir: string,
  patch?: (json: any) => void,
  shard?: (path: string, bytes: Uint8Array) => Uint8Array,
) {
  const file = join(UPSCALER, dir, 'model.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  patch?.(json);
  return {
    json,
    file: `${dir}/model.json`,
    readShard: async (p: string) => {
      const bytes = new Uint8Array(readFileSync(join(UPSCALER, dir, p)));
      return shard ? shard(p, bytes) : bytes;
    },
  };
}

const MODELS = [
  ...['esrgan-slim', 'esrgan-medium', 'esrgan-thick'].flatMap((p) =>
    [2, 3, 4, 8].map((s) => ({ dir: `${p}/models/x${s}`, scale: s })),
  ),
  { dir: 'default-model/models', scale: 2 },
];

describe('layers-model import of the UpscalerJS files', () => {
  it.each(MODELS)('$dir builds a graph mapping [1, 5, 7, 3] to ×$scale', async ({ dir, scale }) => {
    const spec = await importLayersModel(source(dir));
    const shapes = inferShapes(spec, { [spec.inputs[0]]: [1, 5, 7, 3] });
    expect(shapes.get(spec.outputs[0])).toEqual([1, 5 * scale, 7 * scale, 3]);
    // Fusion keeps the output's name and shape and folds every Activation and MultiplyBeta that
    // follows a convolution.
    const fused = fuseGraph(spec);
    expect(inferShapes(fused, { [spec.inputs[0]]: [1, 5, 7, 3] }).get(spec.outputs[0])).toEqual([
      1,
      5 * scale,
      7 * scale,
      3,
    ]);
    expect(fused.nodes.filter((n) => n.op.kind === 'activation')).toHaveLength(0);
  });

  it('folds RDN residuals and ReLUs into the convolutions (slim ×8)', async () => {
    const fused = fuseGraph(await importLayersModel(source('esrgan-slim/models/x8')));
    const byName = new Map(fused.nodes.map((n) => [n.name, n]));
    const lrl = byName.get('LRL_1')!;
    expect(lrl.op).toMatchObject({ kind: 'conv2d', residual: true, activation: 'linear', beta: 1 });
    expect(lrl.inputs).toEqual(['RDB_Concat_1_1', 'F_0']);
    expect(byName.get('F_1_1_Relu')!.op).toMatchObject({ kind: 'conv2d', activation: 'relu' });
    expect(byName.get('FDF')!.inputs).toEqual(['GFF_1', 'F_m1']);
    expect(byName.has('LFF_1')).toBe(false);
  });

  it('folds RRDN MultiplyBeta + Add into conv(beta 0.2, residual) (thick ×4)', async () => {
    const spec = await importLayersModel(source('esrgan-thick/models/x4'));
    const fused = fuseGraph(spec);
    const byName = new Map(fused.nodes.map((n) => [n.name, n]));
    expect(byName.get('LRL_1_1')!.op).toMatchObject({ kind: 'conv2d', residual: true, beta: 0.2 });
    expect(byName.get('LRL_1_1')!.inputs).toEqual(['RDB_Concat_1_1_4', 'Pre_blocks_conv']);
    // RRDB_t_out = in + 0.2·LRL_t_3: LRL_t_3 is itself a fused conv, so a scale and an add remain.
    expect(byName.get('multiply_beta_39')!.op).toEqual({ kind: 'scale', factor: 0.2 });
    expect(byName.get('RRDB_10_out')!.op.kind).toBe('add');
    expect(byName.get('pixel_shuffle')!.op).toEqual({ kind: 'depthToSpace', block: 4, mode: 'DCR' });
    const count = (k: string) => fused.nodes.filter((n) => n.op.kind === k).length;
    // 154 convolutions stay; of 40 MultiplyBeta and 41 Add only the 10 RRDB outputs stay unfused.
    expect([count('conv2d'), count('scale'), count('add')]).toEqual([154, 10, 10]);
  });
});

describe('layers-model errors name the layer and file', () => {
  it('unknown layer class', async () => {
    const src = source('esrgan-slim/models/x8', (j) => {
      j.modelTopology.model_config.config.layers[3].class_name = 'Frobnicate';
    });
    await expect(importLayersModel(src)).rejects.toThrow(
      'esrgan-slim/models/x8/model.json: layer F_1_1 (Frobnicate): unknown layer class Frobnicate',
    );
  });
  it('missing shard', async () => {
    const src = source('esrgan-slim/models/x8');
    src.readShard = async (p) => {
      throw new Error(`ENOENT ${p}`);
    };
    await expect(importLayersModel(src)).rejects.toThrow(
      /esrgan-slim\/models\/x8\/model.json: weight shard group1-shard1of1.bin could not be read \(ENOENT/,
    );
  });
  it('short shard', async () => {
    const src = source('esrgan-thick/models/x4', undefined, (p, b) =>
      p.endsWith('7of7.bin') ? b.subarray(0, 1000) : b,
    );
    await expect(importLayersModel(src)).rejects.toThrow(
      /esrgan-thick\/models\/x4\/model.json: weight \S+ needs bytes \d+\.\.\d+ but shards .*group1-shard7of7.bin hold only \d+ bytes/,
    );
  });
  it('weight of the wrong shape', async () => {
    const src = source('esrgan-slim/models/x8', (j) => {
      const e = j.weightsManifest[0].weights.find((w: WeightEntry) => w.name === 'F_1_1/kernel');
      // Same byte count, other shape: only the shape check can catch it.
      e.shape = [3, 3, 4, 64];
    });
    await expect(importLayersModel(src)).rejects.toThrow(
      'esrgan-slim/models/x8/model.json: layer F_1_1 (Conv2D): weight F_1_1/kernel has shape [3, 3, 4, 64], the layer needs [3, 3, 64, 4]',
    );
  });
  it('a graph-model file', () => {
    expect(() => parseModelJson({ format: 'graph-model', modelTopology: { node: [] } }, 'face.json')).toThrow(
      'face.json: format "graph-model" is not a layers-model',
    );
  });
});

describe('weight decoding', () => {
  it('float16 (normal, subnormal, max, negative)', () => {
    expect([0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x0000].map(halfToFloat)).toEqual([
      1,
      -2,
      0.5,
      65504,
      2 ** -24,
      0,
    ]);
  });

  it('dequantises uint8 and uint16 as q·scale + min, float16 by value', async () => {
    const q8 = [0, 1, 128, 255];
    const q16 = [0, 7, 40000, 65535];
    const f16 = [0x3c00, 0xbc00, 0x4000];
    const bytes = new Uint8Array(4 + 8 + 6 + 4);
    const v = new DataView(bytes.buffer);
    q8.forEach((q, i) => v.setUint8(i, q));
    q16.forEach((q, i) => v.setUint16(4 + 2 * i, q, true));
    f16.forEach((q, i) => v.setUint16(12 + 2 * i, q, true));
    v.setFloat32(18, 1.25, true);
    // Split across two shards to check concatenation in paths order.
    const shards: Record<string, Uint8Array> = { a: bytes.subarray(0, 5), b: bytes.subarray(5) };
    const weights = await readWeights(
      [
        {
          paths: ['a', 'b'],
          weights: [
            {
              name: 'u8',
              shape: [2, 2],
              dtype: 'float32',
              quantization: { dtype: 'uint8', scale: 0.5, min: -3 },
            },
            {
              name: 'u16',
              shape: [4],
              dtype: 'float32',
              quantization: { dtype: 'uint16', scale: 0.001, min: 1 },
            },
            { name: 'f16', shape: [3], dtype: 'float32', quantization: { dtype: 'float16' } },
            { name: 'f32', shape: [1], dtype: 'float32' },
          ],
        },
      ],
      async (p) => shards[p],
    );
    expect([...weights.get('u8')!.data]).toEqual(q8.map((q) => Math.fround(q * 0.5 - 3)));
    expect([...weights.get('u16')!.data]).toEqual(q16.map((q) => Math.fround(q * 0.001 + 1)));
    expect([...weights.get('f16')!.data]).toEqual([1, -1, 2]);
    expect([...weights.get('f32')!.data]).toEqual([1.25]);
  });

  it('rejects quantisation without scale', () => {
    expect(() =>
      decodeWeight(
        { name: 'k', shape: [1], dtype: 'float32', quantization: { dtype: 'uint8' } },
        new Uint8Array(1),
        'm.json',
      ),
    ).toThrow('m.json: weight k is uint8-quantised without scale and min');
  });
});
