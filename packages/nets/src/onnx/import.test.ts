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

  it('lowers ceil-mode pooling, linear/cubic Resize, Flatten and Gemm (ops-mix, tools/onnx/make_ops_net.py)', () => {
    const bytes = new Uint8Array(
      readFileSync(new URL('../../../../assets/onnx/ops-mix.onnx', import.meta.url)),
    );
    const nodes = importOnnx(bytes, 'ops-mix.onnx').spec.nodes;
    const op = (kind: string) => nodes.filter((n) => n.op.kind === kind).map((n) => n.op);
    expect(op('pool2d')).toEqual([
      expect.objectContaining({ mode: 'max', ceilMode: true, padding: [0, 0, 0, 0] }),
    ]);
    expect(op('resize')).toEqual([
      expect.objectContaining({ mode: 'bilinear', coordinates: 'pytorch-half-pixel', scale: [2, 2] }),
      expect.objectContaining({ mode: 'bicubic', cubicA: -0.5, excludeOutside: true, scale: [1.5, 1.5] }),
    ]);
    expect(op('flatten')).toHaveLength(1);
    // Gemm(transB 1, alpha 0.5, beta 2): B [4, 6] becomes weights [6, 4] · 0.5, C · 2 the bias.
    const [mm] = op('matmul') as Extract<(typeof nodes)[number]['op'], { kind: 'matmul' }>[];
    expect(mm.weightShape).toEqual([6, 4]);
    const ct = op('convTranspose2d')[0] as Extract<(typeof nodes)[number]['op'], { kind: 'convTranspose2d' }>;
    expect(ct.weightShape).toEqual([5, 5, 6, 8]); // 3×3 dilated by 2
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
    const str = (name: string, v: string) => ({
      name,
      type: onnx.AttributeProto.AttributeType.STRING,
      s: new TextEncoder().encode(v),
    });
    const crop = [str('mode', 'linear'), str('coordinate_transformation_mode', 'tf_crop_and_resize')];
    expect(() => importOnnx(oneNode('Resize', crop), 'r.onnx')).toThrow(
      /\(Resize\): onnx\.Resize: coordinate_transformation_mode "tf_crop_and_resize" \(a crop box with an extrapolation value\) is not supported/,
    );
  });

  it('refuses bytes that are not an ONNX model', () => {
    expect(() => importOnnx(new Uint8Array([0xff, 0xff, 0xff]), 'junk.onnx')).toThrow(
      /junk\.onnx: not an ONNX model/,
    );
  });
});
