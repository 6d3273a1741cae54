import { describe, expect, it } from 'vitest';
import { compareArrays, randomArray, useGpuPage } from '@avatarme/testing';
import type { Conv2dCase } from './conv2d.gpu.ts';
import { conv2dReference, type Conv2dReferenceOptions } from './reference.ts';
import { pair } from './geometry.ts';
import { chooseConvTiling, chooseChannelBlock } from './tiling.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./conv2d.gpu.ts')>(new URL('./conv2d.gpu.ts', import.meta.url));

// f32 accumulation of K ≤ 300 products of values in [-1, 1]: rounding error is below ~1e-5, so 1e-4
// absolute + 1e-4 relative has margin while any indexing or packing mistake gives errors of O(0.1).
const TOL = { atol: 1e-4, rtol: 1e-4 };

interface Spec {
  name: string;
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  opts?: Omit<Conv2dCase['options'], 'bias' | 'prelu'> & { withBias?: boolean };
  residual?: boolean;
}

function makeCase(
  s: Spec,
  seed: number,
): { gpuCase: Conv2dCase; expected: Float32Array; expectedShape: number[] } {
  const [n, h, w, cin] = s.x;
  const wShape: [number, number, number, number] = [s.k[0], s.k[1], cin / (s.opts?.groups ?? 1), s.cout];
  const x = randomArray(n * h * w * cin, seed);
  const weights = randomArray(
    wShape.reduce((a, b) => a * b),
    seed + 1,
    -0.5,
    0.5,
  );
  const { withBias = true, ...o } = s.opts ?? {};
  const bias = withBias ? randomArray(s.cout, seed + 2) : undefined;
  const prelu = o.activation === 'prelu' ? randomArray(s.cout, seed + 3, 0, 0.5) : undefined;
  const options = { ...o, bias, prelu };
  const refOpts: Conv2dReferenceOptions = {
    ...options,
    stride: pair(o.stride, 1),
    dilation: pair(o.dilation, 1),
  };
  let residual: Float32Array | undefined;
  if (s.residual) {
    const shapeOnly = conv2dReference(x, s.x, weights, wShape, refOpts).shape;
    residual = randomArray(
      shapeOnly.reduce((a, b) => a * b),
      seed + 4,
    );
    refOpts.residual = residual;
  }
  const ref = conv2dReference(x, s.x, weights, wShape, refOpts);
  return {
    gpuCase: { x, xShape: s.x, w: weights, wShape, options, residual },
    expected: ref.data,
    expectedShape: ref.shape,
  };
}

const SPECS: Spec[] = [
  {
    name: '3x3 same, 3→8 channels (not a multiple of 4), odd 5×7 image, relu',
    x: [1, 5, 7, 3],
    k: [3, 3],
    cout: 8,
    opts: { padding: 'same', activation: 'relu' },
  },
  {
    name: '3x3 stride 2 same (TF asymmetric padding), 8→4',
    x: [1, 9, 8, 8],
    k: [3, 3],
    cout: 4,
    opts: { padding: 'same', stride: 2 },
  },
  {
    name: '3x3 dilation 2, reflect padding 2, 5→6, tanh',
    x: [1, 9, 11, 5],
    k: [3, 3],
    cout: 6,
    opts: { padding: 2, padMode: 'reflect', dilation: 2, activation: 'tanh' },
  },
  {
    name: '5x5 explicit asymmetric replicate padding, batch 2, leaky relu, beta, residual',
    x: [2, 6, 7, 4],
    k: [5, 5],
    cout: 12,
    opts: {
      padding: [1, 2, 0, 3],
      padMode: 'replicate',
      activation: 'leakyRelu',
      leakySlope: 0.1,
      beta: 0.2,
    },
    residual: true,
  },
  {
    name: '1x1 valid 16→20 sigmoid (no pre-pad, row tail)',
    x: [1, 13, 19, 16],
    k: [1, 1],
    cout: 20,
    opts: { activation: 'sigmoid' },
  },
  {
    name: '7x7 reflect 3 (pix2pixHD stem), 3→8, prelu',
    x: [1, 10, 12, 3],
    k: [7, 7],
    cout: 8,
    opts: { padding: 3, padMode: 'reflect', activation: 'prelu' },
  },
  {
    name: '3x2 kernel, stride [1,2], relu6, no bias',
    x: [1, 7, 9, 6],
    k: [3, 2],
    cout: 5,
    opts: { padding: 'valid', stride: [1, 2], activation: 'relu6', withBias: false },
  },
  {
    name: '3x3 same clamp [-0.3, 0.4], 40→36 channels',
    x: [1, 6, 6, 40],
    k: [3, 3],
    cout: 36,
    opts: { padding: 'same', activation: 'clamp', clampMin: -0.3, clampMax: 0.4 },
  },
  {
    name: 'grouped: 2 groups, 6→10 channels (3 in / 5 out per group), 3x3 same, odd 7×9, relu',
    x: [1, 7, 9, 6],
    k: [3, 3],
    cout: 10,
    opts: { groups: 2, padding: 'same', activation: 'relu' },
  },
  {
    name: 'grouped: 3 groups, 9→6 channels, 3x3 stride 2, reflect padding 1, residual',
    x: [1, 9, 8, 9],
    k: [3, 3],
    cout: 6,
    opts: { groups: 3, padding: 1, padMode: 'reflect', stride: 2 },
    residual: true,
  },
  {
    name: 'depthwise: 10 channels, 3x3 stride 2 same (TF asymmetric), relu6',
    x: [1, 9, 11, 10],
    k: [3, 3],
    cout: 10,
    opts: { groups: 10, padding: 'same', stride: 2, activation: 'relu6' },
  },
  {
    name: 'depthwise: 24 channels, 3x3 dilation 2 same, batch 2, prelu',
    x: [2, 7, 6, 24],
    k: [3, 3],
    cout: 24,
    opts: { groups: 24, padding: 'same', dilation: 2, activation: 'prelu' },
  },
  {
    name: 'depthwise multiplier 2: 5→10 channels, 3x3 dilation 2, replicate padding 2',
    x: [1, 8, 9, 5],
    k: [3, 3],
    cout: 10,
    opts: { groups: 5, padding: 2, padMode: 'replicate', dilation: 2 },
  },
];

describe('conv2d parity with the CPU reference', () => {
  SPECS.forEach((spec, i) => {
    // cpu: a CPU adapter's heavy blocking shape (several pixels, rows and channel groups per
    // invocation; the production 16×2×4 for the first spec, a smaller block of the same template for
    // the rest, which SwiftShader compiles in a fraction of the time); gpu: the GPU blocking; light:
    // the light compile tier, which reads weights packed for a larger block one group at a time.
    for (const profile of ['cpu', 'gpu', 'light'] as const) {
      it(`${spec.name} [${profile} blocking]`, async () => {
        const { gpuCase, expected, expectedShape } = makeCase(spec, 100 + i);
        if (profile === 'light') gpuCase.policy = 'light';
        else
          gpuCase.options.tiling =
            profile === 'gpu'
              ? { px: 4, py: 1, cb: 2, wx: 16, wy: 4 }
              : i === 0
                ? { px: 16, py: 2, cb: 4, wx: 8, wy: 1 }
                : { px: 4, py: 2, cb: 2, wx: 8, wy: 1 };
        const got = await page.runConv2d(gpuCase);
        expect(got.shape).toEqual(expectedShape);
        const cmp = compareArrays(got.data, expected, TOL);
        expect(cmp.ok, cmp.message).toBe(true);
        expect(got.liveBuffers).toBe(0);
      });
    }
  });

  it('the comparison catches a perturbed output', async () => {
    const { gpuCase, expected } = makeCase(SPECS[0], 100);
    const got = await page.runConv2d(gpuCase);
    expect(compareArrays(got.data, expected, TOL).ok).toBe(true);
    const perturbed = got.data.slice();
    perturbed[37] += 1e-3;
    const cmp = compareArrays(perturbed, expected, TOL);
    expect(cmp.ok).toBe(false);
    expect(cmp.worstIndex).toBe(37);
    expect(cmp.message).toMatch(/1\/\d+ outside/);
  });

  it('rejects an input whose channels do not match the weights, naming op and shapes', async () => {
    const { gpuCase } = makeCase(SPECS[0], 7);
    gpuCase.options.label = 'stem';
    gpuCase.xShape = [1, 5, 7, 3];
    gpuCase.wShape = [3, 3, 4, 8];
    gpuCase.w = new Float32Array(3 * 3 * 4 * 8);
    await expect(page.runConv2d(gpuCase)).rejects.toThrow(
      /stem: input \[1, 5, 7, 3\] has 3 channels, weights \[3, 3, 4, 8\] expect 4/,
    );
  });
});

describe('conv2d blocking choice (pure)', () => {
  it('uses large blocks on a CPU adapter and small ones on a GPU', () => {
    expect(chooseConvTiling(256, 256, 16, 'cpu')).toEqual({ px: 16, py: 2, cb: 4, wx: 8, wy: 1 });
    expect(chooseConvTiling(256, 256, 16, 'gpu').px).toBe(4);
    expect(chooseConvTiling(9, 5, 16, 'cpu').px).toBe(5);
  });
  it('computes one row per invocation when the output has one row (dense layers as 1×1 convs)', () => {
    expect(chooseConvTiling(1, 1, 64, 'cpu').py).toBe(1);
  });
  it('keeps the accumulator block within 128 vec4s', () => {
    for (const c4 of [1, 2, 3, 5, 16, 64]) {
      const t = chooseConvTiling(64, 64, c4, 'cpu');
      expect(t.px * t.py * t.cb).toBeLessThanOrEqual(128);
    }
  });
  it('never pads output channel groups by more than an eighth', () => {
    for (let c4 = 1; c4 <= 64; c4++) {
      const cb = chooseChannelBlock(c4, 'cpu');
      expect(Math.ceil(c4 / cb) * cb - c4).toBeLessThanOrEqual(Math.max(0, c4 / 8));
    }
  });
});
