import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Activation } from '../core/types.ts';
import type { ConvTranspose2dCase } from './conv-transpose2d.gpu.ts';
import { torchConvTransposeWeightsToTf } from './conv-transpose2d.ts';
import { convTranspose2dReference } from './reference.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./conv-transpose2d.gpu.ts')>(
  new URL('./conv-transpose2d.gpu.ts', import.meta.url),
);

// f32 accumulation of at most ~200 products of values in [-1, 1] × [-0.5, 0.5]: rounding stays
// below ~1e-5, while a wrong tap, phase or channel gives errors of O(0.1).
const TOL = { atol: 1e-4, rtol: 1e-4 };

interface Spec {
  name: string;
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  stride: number | [number, number];
  padding: number | [number, number, number, number];
  outputPadding?: number | [number, number];
  activation?: Activation;
}

const SPECS: Spec[] = [
  {
    name: 'pix2pixHD up-block k3 s2 p1 op1, 6→5 channels, odd 5×7 → 10×14',
    x: [1, 5, 7, 6],
    k: [3, 3],
    cout: 5,
    stride: 2,
    padding: 1,
    outputPadding: 1,
    activation: 'relu',
  },
  {
    name: 'k4 s2 p1 (DCGAN/U-Net up), 8→4, 6×5 → 12×10, batch 2',
    x: [2, 6, 5, 8],
    k: [4, 4],
    cout: 4,
    stride: 2,
    padding: 1,
  },
  {
    name: 'k3 s1 p0 (a full correlation), 3→7, tanh',
    x: [1, 4, 6, 3],
    k: [3, 3],
    cout: 7,
    stride: 1,
    padding: 0,
    activation: 'tanh',
  },
  {
    name: 'k5×2 stride [3, 2], asymmetric padding [2, 0, 1, 1], outputPadding [2, 1], 5→9, leakyRelu',
    x: [1, 4, 5, 5],
    k: [5, 2],
    cout: 9,
    stride: [3, 2],
    padding: [2, 0, 1, 1],
    outputPadding: [2, 1],
    activation: 'leakyRelu',
  },
  {
    name: 'k2 s4 (stride above the kernel: some outputs are bias only), 4→3',
    x: [1, 3, 3, 4],
    k: [2, 2],
    cout: 3,
    stride: 4,
    padding: 0,
  },
];

const pairOf = (v: number | [number, number] | undefined): [number, number] =>
  v === undefined ? [0, 0] : typeof v === 'number' ? [v, v] : v;
const padsOf = (v: number | [number, number, number, number]): [number, number, number, number] =>
  typeof v === 'number' ? [v, v, v, v] : v;

function makeCase(s: Spec, seed: number) {
  const [n, h, w, cin] = s.x;
  const wShape: [number, number, number, number] = [s.k[0], s.k[1], s.cout, cin];
  const x = randomArray(n * h * w * cin, seed);
  const weights = randomArray(s.k[0] * s.k[1] * s.cout * cin, seed + 1, -0.5, 0.5);
  const bias = randomArray(s.cout, seed + 2);
  const options = {
    stride: s.stride,
    padding: s.padding,
    outputPadding: s.outputPadding,
    bias,
    activation: s.activation,
  };
  const ref = convTranspose2dReference(x, s.x, weights, wShape, {
    stride: typeof s.stride === 'number' ? [s.stride, s.stride] : s.stride,
    padding: padsOf(s.padding),
    outputPadding: pairOf(s.outputPadding),
    bias,
    activation: s.activation,
  });
  const gpuCase: ConvTranspose2dCase = { x, xShape: s.x, w: weights, wShape, options };
  return { gpuCase, ref };
}

describe('convTranspose2d parity with the CPU reference', () => {
  SPECS.forEach((spec, i) => {
    // cpu: the production CPU blocking (16 px × 4 groups) for the first spec, a smaller block of the
    // same template for the rest (compiles in a fraction of the time); gpu: the GPU blocking; light:
    // the light compile tier.
    for (const profile of ['cpu', 'gpu', 'light'] as const) {
      it(`${spec.name} [${profile} blocking]`, async () => {
        const { gpuCase, ref } = makeCase(spec, 300 + 10 * i);
        if (profile === 'light') gpuCase.policy = 'light';
        else
          gpuCase.options.tiling =
            profile === 'gpu'
              ? { px: 4, cb: 2, wx: 16, wy: 4 }
              : i === 0
                ? { px: 16, cb: 4, wx: 8, wy: 1 }
                : { px: 4, cb: 2, wx: 8, wy: 1 };
        const got = await page.runConvTranspose2d(gpuCase);
        expect(got.shape).toEqual(ref.shape);
        const cmp = compareArrays(got.data, ref.data, TOL);
        expect(cmp.ok, cmp.message).toBe(true);
        expect(got.liveBuffers).toBe(0);
      });
    }
  });

  it('rejects outputPadding not below the stride, naming the layer', async () => {
    const { gpuCase } = makeCase(SPECS[0], 1);
    gpuCase.options = { ...gpuCase.options, outputPadding: 2, label: 'model.25' };
    await expect(page.runConvTranspose2d(gpuCase)).rejects.toThrow(
      /model\.25: outputPadding 2 must be .* below the stride \[2, 2\]/,
    );
  });
});

describe('convTranspose2d reference and weight layout (Node, vs TF.js CPU)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  // TF's conv2dTranspose has no PyTorch padding; with 'valid' it yields the full (uncropped) output
  // of (in - 1)·s + k rows. PyTorch's output is rows [p, p + out) of it, where rows past the full
  // output (outputPadding > padding) receive no tap and are zero.
  it.each([
    { k: 3, s: 2, p: 1, op: 1 },
    { k: 4, s: 2, p: 1, op: 0 },
    { k: 3, s: 3, p: 0, op: 2 },
  ])('k$k s$s p$p op$op equals tf.conv2dTranspose cropped', ({ k, s, p, op }) => {
    const [h, w, cin, cout] = [5, 4, 3, 6];
    const x = randomArray(h * w * cin, 41);
    const filter = randomArray(k * k * cout * cin, 42);
    const ours = convTranspose2dReference(x, [1, h, w, cin], filter, [k, k, cout, cin], {
      stride: [s, s],
      padding: [p, p, p, p],
      outputPadding: [op, op],
    });
    const fullH = (h - 1) * s + k;
    const fullW = (w - 1) * s + k;
    const full = tf.tidy(() =>
      tf
        .conv2dTranspose(
          tf.tensor4d(x, [1, h, w, cin]),
          tf.tensor4d(filter, [k, k, cout, cin]),
          [1, fullH, fullW, cout],
          s,
          'valid',
        )
        .dataSync(),
    );
    const [, oh, ow] = ours.shape;
    const expected = new Float32Array(oh * ow * cout);
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++)
        for (let c = 0; c < cout; c++) {
          const fy = y + p;
          const fx = xx + p;
          if (fy < fullH && fx < fullW)
            expected[(y * ow + xx) * cout + c] = full[(fy * fullW + fx) * cout + c];
        }
    // Both sum at most a few dozen float products: differences are rounding only.
    const cmp = compareArrays(ours.data, expected, { atol: 1e-5 });
    expect(cmp.ok, cmp.message).toBe(true);
  });

  it('torchConvTransposeWeightsToTf moves weight [ci, co, ky, kx] to [ky, kx, co, ci]', () => {
    const [cin, cout, kh, kw] = [2, 3, 2, 4];
    const iohw = Float32Array.from({ length: cin * cout * kh * kw }, (_, i) => i);
    const { weights, shape } = torchConvTransposeWeightsToTf(iohw, [cin, cout, kh, kw]);
    expect(shape).toEqual([kh, kw, cout, cin]);
    for (let ci = 0; ci < cin; ci++)
      for (let co = 0; co < cout; co++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++)
            expect(weights[((ky * kw + kx) * cout + co) * cin + ci]).toBe(
              iohw[((ci * cout + co) * kh + ky) * kw + kx],
            );
  });
});
