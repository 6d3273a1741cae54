import { Tensor } from '@avatarme/kernels';
import type { GraphModel } from '../graph-model/model.ts';

export interface IdentityLoss {
  /** 1 − cos(embedding, target). */
  loss: number;
  cosine: number;
  /** The network's embedding of the image. */
  embedding: Float32Array;
  /** d loss / d image, the image's shape; the caller disposes it. */
  gradient: Tensor;
}

/**
 * loss = 1 − cos(e, t) and its gradient with respect to e: −(t / (|e||t|) − cos · e / |e|²),
 * in float64. Throws on a zero or non-finite vector (the cosine has no gradient there).
 */
export function cosineLoss(
  e: ArrayLike<number>,
  t: ArrayLike<number>,
): { loss: number; cosine: number; gradient: Float32Array } {
  if (e.length !== t.length)
    throw new Error(`cosineLoss: embedding has ${e.length} values, target ${t.length}`);
  let et = 0;
  let ee = 0;
  let tt = 0;
  for (let i = 0; i < e.length; i++) {
    et += e[i] * t[i];
    ee += e[i] * e[i];
    tt += t[i] * t[i];
  }
  const ne = Math.sqrt(ee);
  const nt = Math.sqrt(tt);
  if (!(ne > 0 && nt > 0 && Number.isFinite(ne * nt)))
    throw new Error(`cosineLoss: |embedding| = ${ne}, |target| = ${nt}; both must be finite and non-zero`);
  const cosine = et / (ne * nt);
  const gradient = new Float32Array(e.length);
  for (let i = 0; i < e.length; i++) gradient[i] = -(t[i] / (ne * nt) - (cosine * e[i]) / ee);
  return { loss: 1 - cosine, cosine, gradient };
}

/**
 * The identity loss of analysis-by-synthesis fitting: 1 − cos(embed(image), target) through an
 * embedding network (FaceRes: `global_pooling/Mean`, a 224×224 crop in [0, 255]) and its gradient
 * with respect to the image, by the executor's reverse pass. The model must have been created with
 * `inputGradient: true`; `image` is in the network's input range and stays the caller's. The
 * embedding is read back once (the cosine's gradient depends on it), so this awaits the GPU.
 */
export async function identityLoss(
  model: GraphModel,
  image: Tensor,
  target: ArrayLike<number>,
  opts: { output?: string } = {},
): Promise<IdentityLoss> {
  const key = opts.output ?? model.outputKeys[0];
  const node = model.outputNode(key);
  const input = model.inputNames[0];
  const tape = model.graph.recordForInputGradient({ [input]: image }, [node]);
  const outputs = Object.values(tape.outputs);
  try {
    const embedding = await tape.outputs[node].read();
    const { loss, cosine, gradient } = cosineLoss(embedding, target);
    const { ctx } = model.graph;
    const dy = Tensor.fromArray(ctx, gradient, tape.outputs[node].shape, 'identityLoss.dy');
    try {
      const grads = tape.inputGradient({ [node]: dy });
      return { loss, cosine, embedding, gradient: grads[input] };
    } finally {
      dy.dispose();
    }
  } finally {
    tape.dispose();
    for (const t of outputs) t.dispose();
  }
}
