import { reconstruct } from '@avatarme/pipeline/reconstruct/reconstruct.ts';
import type { ReconstructOptions } from '@avatarme/pipeline/reconstruct/types.ts';

const HEAD_MODEL_URL = '/packages/pipeline/models/ict-head/';

interface RoundTrip {
  landmarkReprojectionPx?: { mean: number };
  rerenderPsnrDb?: number;
  identitySimilarity?: number;
}

/** Page side of `avatarme reconstruct`: progress goes to Node through the harness's event hook. */
export async function runReconstruct(
  device: GPUDevice,
  a: { bytes: Uint8Array; name: string; options: ReconstructOptions },
) {
  const send = (globalThis as { __avatarmeEvent?: (v: unknown) => void }).__avatarmeEvent;
  const result = await reconstruct(device, a.bytes, {
    ...a.options,
    // By its path on the page server: the pipeline's own default is relative to its module, which a
    // built page moves into a chunk folder.
    assets: { headModel: HEAD_MODEL_URL, ...a.options.assets },
    name: a.name,
    onProgress: (p) => send?.(p),
  });
  const q = (result.report.roundTrip ?? {}) as RoundTrip;
  const ms = result.report.stagesMs as Record<string, number>;
  const total = Object.values(ms).reduce((s, v) => s + v, 0);
  const fit = [
    q.landmarkReprojectionPx && `reprojection ${q.landmarkReprojectionPx.mean.toFixed(2)} px`,
    q.rerenderPsnrDb !== undefined && `re-render PSNR ${q.rerenderPsnrDb.toFixed(2)} dB`,
    q.identitySimilarity !== undefined && `identity similarity ${q.identitySimilarity.toFixed(3)}`,
  ].filter(Boolean);
  return {
    files: result.files,
    summary:
      `stages (s): ${Object.entries(ms)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
        .join(', ')}; total ${(total / 1000).toFixed(1)}` + (fit.length ? `\nfit: ${fit.join(', ')}` : ''),
  };
}
