// Page half of models.test.ts: the face networks kept on the device between FaceModels.
import { KernelContext, Tensor, binary } from '@avatarme/kernels';
import { GraphModel } from '@avatarme/nets';
import { FaceModels, HUMAN_MODELS_URL } from './models.ts';

const fetchBytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

async function outputsOf(model: GraphModel, input: Tensor): Promise<Float32Array[]> {
  const outs = model.run(input);
  const values = [];
  for (const o of Object.values(outs)) {
    values.push(await o.tensor.read());
    o.tensor.dispose();
  }
  return values;
}

/** BlazeFace through FaceModels of several folders and files, and loaded directly in the run's context. */
export async function keptDetector(device: GPUDevice) {
  const ctx = new KernelContext(device);
  // The same files under another folder's URL, and the bundled folder with one weight byte changed.
  const otherFolder = (url: string) => fetchBytes(url.replace('/other-folder/', HUMAN_MODELS_URL));
  const changedFile = async (url: string) => {
    const b = await fetchBytes(url);
    if (url.endsWith('.bin')) b[b.length - 1] ^= 1;
    return b;
  };
  const first = new FaceModels(ctx);
  const second = new FaceModels(ctx);
  const other = new FaceModels(ctx, '/other-folder/', otherFolder);
  const changed = new FaceModels(ctx, HUMAN_MODELS_URL, changedFile);
  const [a, b, c, d] = await Promise.all([first, second, other, changed].map((m) => m.detector()));
  const graphs = {
    same: a.graph === b.graph,
    otherFolder: a.graph !== c.graph,
    changedFile: a.graph !== d.graph,
  };

  // The input made by work recorded in ctx and not yet submitted: the kept network must see it.
  const x = Tensor.fromArray(
    ctx,
    Float32Array.from({ length: 256 * 256 * 3 }, (_, i) => Math.sin(i * 0.37)),
    [1, 256, 256, 3],
  );
  const input = binary(ctx, 'mul', x, 0.9);
  const viaKept = await outputsOf(a, input);
  const direct = await GraphModel.load(ctx, `${location.origin}${HUMAN_MODELS_URL}blazeface.json`);
  const fresh = await outputsOf(direct, input);
  direct.dispose();

  // Disposing the FaceModels leaves the network on the device: the next one gets it, and it runs.
  for (const m of [first, second, other, changed]) await m.dispose();
  const third = new FaceModels(ctx);
  const e = await third.detector();
  const again = await outputsOf(e, input);
  await third.dispose();
  x.dispose();
  input.dispose();
  const live = ctx.pool.stats().liveBuffers;
  ctx.dispose();
  const bytes = (v: Float32Array[]) => v.map((a) => Array.from(new Uint8Array(a.buffer)));
  return {
    graphs,
    keptAgain: e.graph === a.graph,
    identical: JSON.stringify(bytes(viaKept)) === JSON.stringify(bytes(fresh)),
    identicalAgain: JSON.stringify(bytes(again)) === JSON.stringify(bytes(fresh)),
    live,
  };
}
