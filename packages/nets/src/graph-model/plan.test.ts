import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@avatarme/browser-runtime';
import { graphModelFromParts, loadGraphModel } from './load.ts';
import type { GraphModelJson } from './model-json.ts';
import { halfToFloat } from '../float16.ts';
import { lowerGraphModel } from './lower.ts';

const MODELS = ['blazeface', 'facemesh', 'iris', 'faceres'] as const;
const modelUrl = (m: string) =>
  pathToFileURL(`${REPO_ROOT}/node_modules/@vladmandic/human/models/${m}.json`).href;
const readFile = async (url: string) => new Uint8Array(readFileSync(fileURLToPath(url)));

function tinyModel(nodes: GraphModelJson['modelTopology']['node']): GraphModelJson {
  return { format: 'graph-model', modelTopology: { node: nodes }, weightsManifest: [] };
}
const input = { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' } } };

describe('graph-model loader', () => {
  it.each(MODELS)('%s: weights decode exactly as tfjs-core decodes them', async (m) => {
    const model = await loadGraphModel(modelUrl(m), readFile);
    const group = model.json.weightsManifest[0];
    const bin = readFileSync(`${REPO_ROOT}/node_modules/@vladmandic/human/models/${group.paths[0]}`);
    const ref = tf.io.decodeWeights(
      bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      group.weights as tf.io.WeightsManifestEntry[],
    );
    expect(model.consts.size).toBe(Object.keys(ref).length);
    for (const [name, t] of Object.entries(ref)) {
      const ours = model.consts.get(name)!;
      expect(ours.shape).toEqual(t.shape);
      expect(Array.from(ours.data)).toEqual(Array.from(t.dataSync()));
    }
  });

  it('float16 decoding covers subnormals, infinities and NaN', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0x7bff)).toBe(65504);
  });

  it('rejects a manifest whose byte count does not match the shards', () => {
    const json = {
      ...tinyModel([]),
      weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'k', shape: [3], dtype: 'float32' }] }],
    };
    expect(() => graphModelFromParts(json, [[new Uint8Array(8)]], 'tiny.json')).toThrow(
      /"k" needs bytes 0\.\.12/,
    );
  });
});

describe('graph-model planning', () => {
  it.each(MODELS)('%s: every op is lowered, inputs come before their consumers', async (m) => {
    const model = await loadGraphModel(modelUrl(m), readFile);
    const plan = lowerGraphModel(model);
    expect(plan.inputs).toHaveLength(1);
    const seen = new Set<string>();
    for (const s of plan.nodes) {
      for (const i of s.inputs) expect(seen.has(i)).toBe(true);
      seen.add(s.name);
    }
    for (const o of plan.outputs) expect(seen.has(o)).toBe(true);
  });

  it('facemesh: signature keys name outputs, and only what they need is planned', async () => {
    const model = await loadGraphModel(modelUrl('facemesh'), readFile);
    const all = lowerGraphModel(model);
    const flag = lowerGraphModel(model, ['output_faceflag']);
    expect(flag.outputs).toEqual(['Identity_1']);
    expect(flag.nodes.length).toBeLessThan(all.nodes.length);
  });

  it('an unsupported op is an error naming the node', () => {
    const m = graphModelFromParts(
      tinyModel([input, { name: 'my/erf', op: 'Erf', input: ['x'] }]),
      [],
      'tiny.json',
    );
    expect(() => lowerGraphModel(m)).toThrow(
      'graph node "my/erf" (Erf): op is not supported by this executor',
    );
  });

  it('an unsupported attribute is an error naming the node', () => {
    const pool = {
      name: 'pool',
      op: 'MaxPool',
      input: ['x'],
      attr: {
        data_format: { s: btoa('NCHW') },
        ksize: { list: { i: ['1', '2', '2', '1'] } },
        strides: { list: { i: ['1', '2', '2', '1'] } },
        padding: { s: btoa('SAME') },
      },
    };
    const m = graphModelFromParts(tinyModel([input, pool]), [], 'tiny.json');
    expect(() => lowerGraphModel(m)).toThrow('graph node "pool" (MaxPool): data_format NCHW is not NHWC');
    const odd = { ...pool, attr: { ...pool.attr, data_format: { s: btoa('NHWC') }, mystery: { b: true } } };
    expect(() => lowerGraphModel(graphModelFromParts(tinyModel([input, odd]), [], 'tiny.json'))).toThrow(
      'graph node "pool" (MaxPool): attribute "mystery" is not supported',
    );
  });
});
