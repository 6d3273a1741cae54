import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledHeadModelUrl } from './bundled.ts';
import { loadMorphableModel } from './load.ts';
import { evaluateShape, type MorphableModel } from './model.ts';
import { nodeModelReader } from './node-files.ts';

/** The textbook sum: neutral, then one mode at a time (identity, then expression), zero weights skipped. */
function oneModeAtATime(
  model: MorphableModel,
  identity: Float64Array,
  expression: Float64Array,
): Float32Array {
  const n = model.vertexCount * 3;
  const acc = Float64Array.from(model.neutral);
  for (const [set, w] of [
    [model.identity, identity],
    [model.expression, expression],
  ] as const)
    for (let k = 0; k < set.count; k++) {
      if (w[k] === 0) continue;
      for (let i = 0; i < n; i++) acc[i] += w[k] * set.data[k * n + i];
    }
  return Float32Array.from(acc);
}

describe('evaluateShape (bundled head)', () => {
  let model: MorphableModel;
  beforeAll(async () => {
    model = await loadMorphableModel(nodeModelReader(fileURLToPath(bundledHeadModelUrl())));
  });

  it('is the one-mode-at-a-time sum to the bit, with zero weights and any count of non-zero ones', () => {
    let state = 11;
    const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
    for (let t = 0; t < 5; t++) {
      // t = 0: all zero; then more and more non-zero weights (counts not a multiple of 4).
      const identity = Float64Array.from({ length: model.identity.count }, () =>
        t > 0 && random() < 0.2 * t ? 3 * random() : 0,
      );
      const expression = Float64Array.from({ length: model.expression.count }, () =>
        t > 0 && random() < 0.2 * t ? random() + 0.5 : 0,
      );
      const got = evaluateShape(model, identity, expression);
      const want = oneModeAtATime(model, identity, expression);
      let differ = 0;
      for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) differ++;
      expect(differ).toBe(0);
    }
  });
});
