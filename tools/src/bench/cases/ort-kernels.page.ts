// ONNX Runtime Web (WebGPU) subjects of the kernel rows (cases/kernels.ts): each row's op as a
// one-node ONNX model, encoded with onnx-proto, weights as initializers (constants, as in a model).
import { onnx, type OnnxAttributeInit } from '@avatarme/kernels/onnx/proto.ts';
import { randomArray } from '@avatarme/testing/page';
import type { PageBenchFn } from '../page/timing.ts';
import { ort, ortSession, timeOrt } from '../page/ort.ts';
import type { ConvArgs, ConvTransposeArgs, ResizeArgs } from './kernels.page.ts';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const A = onnx.AttributeProto.AttributeType;
const ints = (name: string, v: number[]) => ({ name, type: A.INTS, ints: v });
const text = (name: string, v: string) => ({ name, type: A.STRING, s: new TextEncoder().encode(v) });

function oneNodeModel(
  opType: string,
  x: number[],
  attribute: OnnxAttributeInit[],
  initializers: { name: string; dims: number[]; data: Float32Array }[],
  extraInputs: string[] = [],
): Uint8Array {
  const info = (name: string, dims: number[]) => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: opType,
      node: [
        {
          opType,
          input: ['x', ...extraInputs, ...initializers.map((t) => t.name)],
          output: ['y'],
          attribute,
        },
      ],
      input: [info('x', x)],
      output: [{ name: 'y', type: { tensorType: { elemType: 1 } } }],
      initializer: initializers.map((t) => ({
        name: t.name,
        dims: t.dims,
        dataType: 1,
        floatData: [...t.data],
      })),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

async function runOrt(req: Parameters<PageBenchFn>[1], model: Uint8Array, nchw: number[]) {
  const session = await ortSession(model, 'webgpu');
  const x = new ort.Tensor('float32', randomArray(size(nchw), 1), nchw);
  try {
    return await timeOrt(req, session, { x }, 'webgpu');
  } finally {
    await session.release();
  }
}

export const conv2dOrt: PageBenchFn<ConvArgs> = (_device, req) => {
  const { x, k, stride, depthwise } = req.args;
  const [n, h, w, c] = x;
  const [kh, kw, cin, cout] = k;
  const group = depthwise ? cin : 1;
  const wDims = [cout, cin / group, kh, kw];
  const model = oneNodeModel(
    'Conv',
    [n, c, h, w],
    [
      ints('kernel_shape', [kh, kw]),
      ints('strides', [stride, stride]),
      ints('dilations', [1, 1]),
      text('auto_pad', 'SAME_UPPER'),
      { name: 'group', type: A.INT, i: group },
    ],
    [{ name: 'w', dims: wDims, data: randomArray(size(wDims), 2, -0.1, 0.1) }],
  );
  return runOrt(req, model, [n, c, h, w]);
};

export const convTransposeOrt: PageBenchFn<ConvTransposeArgs> = (_device, req) => {
  const { x, k, stride, padding } = req.args;
  const [n, h, w, c] = x;
  const [kh, kw, cout, cin] = k;
  const wDims = [cin, cout, kh, kw];
  const p = padding;
  const model = oneNodeModel(
    'ConvTranspose',
    [n, c, h, w],
    [
      ints('kernel_shape', [kh, kw]),
      ints('strides', [stride, stride]),
      ints('dilations', [1, 1]),
      ints('pads', [p, p, p, p]),
    ],
    [{ name: 'w', dims: wDims, data: randomArray(size(wDims), 2, -0.1, 0.1) }],
  );
  return runOrt(req, model, [n, c, h, w]);
};

export const bilinearOrt: PageBenchFn<ResizeArgs> = (_device, req) => {
  const { x, factor } = req.args;
  const [n, h, w, c] = x;
  const model = oneNodeModel(
    'Resize',
    [n, c, h, w],
    [text('mode', 'linear'), text('coordinate_transformation_mode', 'asymmetric')],
    [{ name: 'scales', dims: [4], data: new Float32Array([1, 1, factor, factor]) }],
    [''],
  );
  return runOrt(req, model, [n, c, h, w]);
};
