import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onnx, type OnnxAttributeInit, type OnnxTensorInit } from '@avatarme/kernels/onnx/proto.ts';
import { importOnnx } from './import.ts';

/** A one-node ONNX model on a [1, 3, 8, 8] input, encoded by onnx-proto. */
function oneNode(opType: string, attribute: OnnxAttributeInit[] = [], initializer: OnnxTensorInit[] = []) {
  const info = (name: string) => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: [1, 3, 8, 8].map((d) => ({ dimValue: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [
        {
          name: 'the_node',
          opType,
          input: ['x', ...initializer.map((t) => t.name!)],
          output: ['y'],
          attribute,
        },
      ],
      input: [info('x')],
      output: [info('y')],
      initializer,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

describe('importOnnx', () => {
  it('lowers the exported ESRGAN (Conv, Relu, Concat, Add, Resize) onto the IR, with its metadata', () => {
    const bytes = new Uint8Array(
      readFileSync(new URL('../../../../assets/onnx/esrgan-slim-x2.onnx', import.meta.url)),
    );
    const r = importOnnx(bytes, 'esrgan-slim-x2.onnx');
    const kinds = r.spec.nodes.map((n) => n.op.kind);
    expect(kinds.filter((k) => k === 'conv2d')).toHaveLength(12);
    expect(kinds).toContain('upsampleNearest');
    expect(r.metadata.input_range).toBe('0,255');
    expect(r.inputChannels).toEqual({ input: 3 });
  });

  it('names the first unsupported op, and the node', () => {
    expect(() => importOnnx(oneNode('Elu'), 'elu.onnx')).toThrow(
      /elu\.onnx: node "the_node" \(Elu\): the op is not supported/,
    );
  });

  it('names an unsupported attribute', () => {
    const w = onnx.TensorProto.create({
      name: 'w',
      dims: [3, 3, 3, 3],
      dataType: 1,
      floatData: new Array(81).fill(0),
    });
    const group = [{ name: 'group', type: onnx.AttributeProto.AttributeType.INT, i: 3 }];
    expect(() => importOnnx(oneNode('ConvTranspose', group, [w]), 't.onnx')).toThrow(
      /t\.onnx: node "the_node" \(ConvTranspose\): onnx\.ConvTranspose: group 3 is not supported/,
    );
    const linear = [
      { name: 'mode', type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode('linear') },
    ];
    expect(() => importOnnx(oneNode('Resize', linear), 'r.onnx')).toThrow(
      /\(Resize\): mode "linear" is not supported/,
    );
  });

  it('refuses bytes that are not an ONNX model', () => {
    expect(() => importOnnx(new Uint8Array([0xff, 0xff, 0xff]), 'junk.onnx')).toThrow(
      /junk\.onnx: not an ONNX model/,
    );
  });
});
