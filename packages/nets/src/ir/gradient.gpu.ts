// Page half of gradient.test.ts: the executor's reverse pass on a small random graph and on FaceRes,
// against central differences of the same executor's forward pass.
import { KernelContext, Tensor, type Shape4 } from '@avatarme/kernels';
import { randomArray } from '@avatarme/testing/page';
import { GraphModel } from '../graph-model/model.ts';
import { cosineLoss, identityLoss } from '../identity/identity-loss.ts';
import { Graph } from './graph.ts';
import { gradientTestGraph } from './gradient-test-graph.ts';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * The whole input gradient of ⟨w, out⟩ for gradientTestGraph, fused and as imported, and the central
 * difference of every input element through the fused forward.
 */
export async function smallGraphGradient(device: GPUDevice, c: { seed: number; shape: Shape4; h: number }) {
  const ctx = new KernelContext(device);
  try {
    const n = c.shape.reduce((a, b) => a * b, 1);
    const x = randomArray(n, c.seed + 1);
    const grads: Float32Array[] = [];
    let fusedKinds: string[] = [];
    let fd = new Float64Array(0);
    let savedBytes = 0;
    for (const fuse of [true, false]) {
      const graph = Graph.create(ctx, gradientTestGraph(c.seed), { fuse, inputGradient: true });
      const xt = Tensor.fromArray(ctx, x, c.shape, 'x');
      const outShape = graph.plan({ x: c.shape }).shapes.get('out')!;
      const w = randomArray(
        outShape.reduce((a, b) => a * b, 1),
        c.seed + 2,
      );
      const wt = Tensor.fromArray(ctx, w, outShape, 'w');
      const { outputs, inputGradients } = graph.inputGradient({ x: xt }, { out: wt });
      grads.push(await inputGradients.x.read());
      for (const t of [outputs.out, inputGradients.x, wt, xt]) t.dispose();
      if (fuse) {
        fusedKinds = graph.spec.nodes.map((node) => node.op.kind);
        savedBytes = graph.lastRun!.plannedPeakBytes;
        fd = new Float64Array(n);
        const xs = x.slice();
        const loss = async () => {
          const t = Tensor.fromArray(ctx, xs, c.shape, 'x');
          const y = graph.run({ x: t }).out;
          const v = dot(w, await y.read());
          t.dispose();
          y.dispose();
          return v;
        };
        for (let i = 0; i < n; i++) {
          const v = xs[i];
          xs[i] = v + c.h;
          const hi = xs[i];
          const up = await loss();
          xs[i] = v - c.h;
          const lo = xs[i];
          const down = await loss();
          xs[i] = v;
          fd[i] = (up - down) / (hi - lo);
        }
      }
      graph.dispose();
    }
    return {
      fused: grads[0],
      unfused: grads[1],
      fd,
      fusedKinds,
      peakBytes: savedBytes,
      liveBuffers: ctx.pool.stats().liveBuffers,
    };
  } finally {
    ctx.dispose();
  }
}

/**
 * FaceRes on its real weights: the identity loss 1 − cos(embed(x), embed(x')) and its input
 * gradient, and for a few random directions v the directional derivative ⟨∇, v⟩ against
 * (loss(x + h·v) − loss(x − h·v)) / 2h through the forward pass.
 */
export async function faceresGradient(
  device: GPUDevice,
  c: { url: string; seed: number; directions: number; h: number },
) {
  const ctx = new KernelContext(device);
  try {
    const model = await GraphModel.load(ctx, c.url, {
      outputs: ['global_pooling/Mean'],
      inputGradient: true,
    });
    const shape: Shape4 = [1, 224, 224, 3];
    const n = 224 * 224 * 3;
    // A smooth image (low-frequency sinusoids) in FaceRes' [0, 255] range, and a second one as the target.
    const image = (seed: number) => {
      const r = randomArray(12, seed, 0, 1);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const p = Math.floor(i / 3);
        const [y, x, k] = [Math.floor(p / 224) / 224, (p % 224) / 224, i % 3];
        out[i] =
          128 +
          60 * Math.sin(6 * r[k] * x + 5 * r[k + 3] * y + 3 * r[k + 6]) +
          40 * Math.cos(9 * r[k + 9] * (x - y));
      }
      return out;
    };
    const embed = async (data: Float32Array) => {
      const t = Tensor.fromArray(ctx, data, shape, 'x');
      const out = model.run(t)['global_pooling/Mean'].tensor;
      const e = await out.read();
      t.dispose();
      out.dispose();
      return e;
    };
    const x = image(c.seed);
    const target = await embed(image(c.seed + 1));
    const xt = Tensor.fromArray(ctx, x, shape, 'x');
    const t0 = performance.now();
    const result = await identityLoss(model, xt, target);
    const peakBytes = model.graph.lastRun!.plannedPeakBytes;
    const grad = await result.gradient.read();
    const gradientMs = performance.now() - t0;
    result.gradient.dispose();
    xt.dispose();
    const t1 = performance.now();
    await embed(x);
    const forwardMs = performance.now() - t1;
    const checks: { analytic: number; numeric: number }[] = [];
    for (let d = 0; d < c.directions; d++) {
      const v = randomArray(n, c.seed + 10 + d);
      const at = (s: number) => embed(x.map((xi, i) => xi + s * v[i]));
      const up = cosineLoss(await at(c.h), target).loss;
      const down = cosineLoss(await at(-c.h), target).loss;
      checks.push({ analytic: dot(grad, v), numeric: (up - down) / (2 * c.h) });
    }
    let gradNorm = 0;
    for (const g of grad) gradNorm += g * g;
    model.dispose();
    return {
      loss: result.loss,
      cosine: result.cosine,
      gradNorm: Math.sqrt(gradNorm),
      finite: grad.every(Number.isFinite),
      checks,
      gradientMs,
      forwardMs,
      peakBytes,
      liveBuffers: ctx.pool.stats().liveBuffers,
    };
  } finally {
    ctx.dispose();
  }
}
