import { describe, expect, it } from 'vitest';
import { compareArrays, useGpuPage } from '@avatarme/testing';
import { optimiseGraph } from './fuse.ts';
import { adjointNeeds, planInputGradient } from './gradient-plan.ts';
import { gradientTestGraph } from './gradient-test-graph.ts';
import { planMemory } from './plan.ts';
import type { GraphSpec } from './spec.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./gradient.gpu.ts')>(new URL('./gradient.gpu.ts', import.meta.url));

describe('input gradient plan (pure)', () => {
  it('keeps exactly what the adjoints read, and only on paths from the input to a seeded output', () => {
    const spec = optimiseGraph(gradientTestGraph(7));
    const shapes = { x: [1, 6, 6, 3] as [number, number, number, number] };
    const plan = planInputGradient(spec, shapes);
    // Fusion put batch norm + relu into c1's conv, and sigmoid·0.5 + skip into c2's (names: the readers').
    const c1 = spec.nodes.find((n) => n.name === 'r1')!;
    expect(c1.op.kind === 'conv2d' && c1.op.activation === 'relu' && c1.op.batchNorm).toBeTruthy();
    const res = spec.nodes.find((n) => n.name === 'res')!;
    expect(res.op.kind === 'conv2d' && res.op.residual && res.op.beta === 0.5).toBe(true);
    expect([...plan.saved].sort()).toEqual(['r1', 'res', 'r2', 'r2min', 't', 'm1', 'm2', 'fc'].sort());
    expect(plan.active.every((a, i) => a === (spec.nodes[i].op.kind !== 'input'))).toBe(true);
    const inference = planMemory(spec, shapes);
    expect(plan.peakBytes).toBeGreaterThanOrEqual(inference.peakBytes);
    expect(plan.savedBytes).toBeGreaterThan(0);
    // Every saved value leaves in the backward pass, every other one in the forward pass, once.
    const released = [...plan.forwardRelease.flat(), ...plan.backwardRelease.flat()].sort();
    expect(released).toEqual(
      spec.nodes
        .filter((n) => n.name !== 'x' && n.name !== 'out')
        .map((n) => n.name)
        .sort(),
    );
    expect(plan.backwardRelease.flat().sort()).toEqual(
      [...plan.saved].filter((v) => v !== 'fc' || true).sort(),
    );
  });

  it('a branch that reaches no seeded output gets no adjoint and keeps nothing', () => {
    const spec: GraphSpec = {
      inputs: ['x'],
      outputs: ['a', 'b'],
      nodes: [
        { name: 'x', inputs: [], op: { kind: 'input' } },
        { name: 'a', inputs: ['x'], op: { kind: 'activation', activation: 'relu' } },
        { name: 'b', inputs: ['x'], op: { kind: 'softmax' } },
      ],
    };
    const plan = planInputGradient(spec, { x: [1, 2, 2, 4] }, ['a']);
    expect(plan.active).toEqual([false, true, false]);
    expect(plan.savedBytes).toBe(0); // a is an output: the caller holds it anyway
    expect(() => planInputGradient(spec, { x: [1, 2, 2, 4] })).toThrow(
      'node b: no input gradient: op "softmax" has no adjoint here',
    );
  });

  it('refuses reflect padding by name', () => {
    expect(() =>
      adjointNeeds({
        name: 'p',
        inputs: ['x'],
        origin: 'ReflectionPad2d model.0',
        op: { kind: 'pad', pads: [1, 1, 1, 1], mode: 'reflect' },
      }),
    ).toThrow('ReflectionPad2d model.0: no input gradient: reflect padding is not supported (zero only)');
  });
});

describe('input gradient through the executor (GPU)', () => {
  it('small graph with every FaceRes op: whole gradient against central differences of the forward', async () => {
    const r = await page.smallGraphGradient({ seed: 7, shape: [1, 4, 4, 3], h: 1e-2 });
    expect(r.fusedKinds).toContain('conv2d');
    // Fused and as-imported graphs run different kernels (batch norm folded, epilogues): f32 rounding.
    const same = compareArrays(r.fused, r.unfused, { atol: 1e-5, rtol: 1e-4 });
    expect(same.ok, same.message).toBe(true);
    // Central differences of the f32 GPU forward with h = 1e-2: truncation (h²/6·f''' of sigmoid/tanh
    // chains) ~1e-5, rounding of the f32 loss (~1e-6) over 2h ~5e-5, and a kink (relu, min, max, max
    // pool) crossed inside ±h by some element moves its difference quotient by up to the slope jump
    // times the crossed fraction. 2e-2 of the gradient's largest value covers these with margin
    // (seen: 1.7e-4 on this 4×4 input, 1.8e-4 on 6×6).
    let err = 0;
    let scale = 0;
    for (let i = 0; i < r.fd.length; i++) {
      err = Math.max(err, Math.abs(r.fused[i] - r.fd[i]));
      scale = Math.max(scale, Math.abs(r.fd[i]));
    }
    console.log(
      `small graph: max |grad − fd| ${err.toExponential(2)} of max |fd| ${scale.toExponential(2)}; peak ${r.peakBytes} B`,
    );
    expect(scale).toBeGreaterThan(0);
    expect(err / scale).toBeLessThan(2e-2);
    expect(r.liveBuffers).toBe(0);
  });

  it('FaceRes (real weights, 224²): identity-loss gradient against central differences in random directions', async () => {
    const r = await page.faceresGradient(
      { url: '/node_modules/@vladmandic/human/models/faceres.json', seed: 31, directions: 2, h: 0.01 },
      { timeoutMs: 600_000 },
    );
    console.log(
      `faceres: loss ${r.loss.toFixed(5)}, |∇| ${r.gradNorm.toExponential(3)}, loss + gradient ${r.gradientMs.toFixed(0)} ms, forward ${r.forwardMs.toFixed(0)} ms, planned peak ${(r.peakBytes / 2 ** 20).toFixed(1)} MiB; ` +
        r.checks
          .map((c) => `⟨∇,v⟩ ${c.analytic.toExponential(4)} vs fd ${c.numeric.toExponential(4)}`)
          .join('; '),
    );
    expect(r.finite).toBe(true);
    expect(r.loss).toBeGreaterThan(0);
    // ⟨∇, v⟩ over directions v uniform in [-1, 1]^n has standard deviation |∇|/√3: the scale of
    // the check. Central differences of this f32 network cannot get close: a step of h grey levels
    // crosses some of the ~2·10⁶ ReLU6 kinks (an error growing with h: 30–50% of the scale at
    // h = 0.25), and the f32 forward's rounding of the loss (of order 1e-6, judging by the gap left at
    // small h) adds ~1e-6 / 2h. At h = 0.01
    // the gaps seen on SwiftShader were 10% and 7% of the scale, and no h does much better, so the
    // bound is 15%: it catches a missing derivative or a wrong transposed tap, not rounding. The
    // precise check is elsewhere: TF.js's CPU autodiff of this loss, image and directions agreed
    // with ours to 0.7% of the scale when this was written, and every adjoint is checked on its own.
    const scale = r.gradNorm / Math.sqrt(3);
    for (const c of r.checks) expect(Math.abs(c.analytic - c.numeric)).toBeLessThan(0.15 * scale);
    expect(r.liveBuffers).toBe(0);
  }, 900_000);
});
