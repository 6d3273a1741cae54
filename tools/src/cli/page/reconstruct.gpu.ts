import { reconstruct } from '@avatarme/pipeline/reconstruct/reconstruct.ts';
import type { ReconstructOptions } from '@avatarme/pipeline/reconstruct/types.ts';

/** Page side of `avatarme reconstruct`: progress goes to Node through the harness's event hook. */
export async function runReconstruct(
  device: GPUDevice,
  a: { bytes: Uint8Array; name: string; options: ReconstructOptions },
) {
  const send = (globalThis as { __avatarmeEvent?: (v: unknown) => void }).__avatarmeEvent;
  const result = await reconstruct(device, a.bytes, {
    ...a.options,
    name: a.name,
    onProgress: (p) => send?.(p),
  });
  const q = result.report.quality as {
    rerenderPsnrDb: number;
    identitySimilarity: number;
    landmarkReprojectionPx: { mean: number };
  };
  const ms = result.report.stagesMs as Record<string, number>;
  const total = Object.values(ms).reduce((s, v) => s + v, 0);
  return {
    files: result.files,
    summary:
      `stages (s): ${Object.entries(ms)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
        .join(', ')}; total ${(total / 1000).toFixed(1)}\n` +
      `fit: reprojection ${q.landmarkReprojectionPx.mean.toFixed(2)} px, re-render PSNR ${q.rerenderPsnrDb.toFixed(2)} dB, identity similarity ${q.identitySimilarity.toFixed(3)}`,
  };
}
