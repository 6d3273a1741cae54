// Page half of complete-albedo.test.ts: runs in headless Chromium with a real GPUDevice.
import { KernelContext } from '@avatarme/kernels';
import { withPhotoHead, type PhotoHeadInput } from '../head/photo-head.ts';
import { encodePng, rgbFloatToRgba } from '../image/codec.ts';
import { completeAlbedo, SKIN_CLASSES, type CompleteAlbedoInput } from './complete-albedo.ts';
import { highFrequencyEnergy, seamStep } from './completion-figures.ts';
import { TexelSource } from './texels.ts';
import { unwrapSurface } from './unwrap.ts';

export async function runCompleteAlbedo(device: GPUDevice, input: CompleteAlbedoInput) {
  const ctx = new KernelContext(device);
  try {
    const out = await completeAlbedo(ctx, input);
    return { ...out, liveBuffers: ctx.pool.stats().liveBuffers };
  } finally {
    ctx.dispose();
  }
}

/**
 * The sample photo unwrapped onto the ICT head twice, completed by push-pull + grain and by
 * exemplar completion: texture and seam figures on the skin, timings and the two textures as PNGs.
 */
export async function compareCompletions(device: GPUDevice, a: PhotoHeadInput) {
  return withPhotoHead(device, a, async ({ ctx, photo, surface }) => {
    const size = a.uvSize;
    const figures: Record<string, unknown> = {};
    const pngs: Record<string, Uint8Array> = {};
    const variants = {
      'push-pull': { completion: 'push-pull' },
      'exemplar-mean-vote': { completion: 'exemplar', patchMatch: { finalVote: 'mean' } },
      exemplar: { completion: 'exemplar' },
    } as const;
    for (const [completion, options] of Object.entries(variants)) {
      const t0 = performance.now();
      const uv = await unwrapSurface(ctx, photo, surface, { uvSize: size, ...options });
      const ms = performance.now() - t0;
      const cls = uv.exemplarClasses.classOf;
      const skin = (i: number) => cls[i] >= 1 && cls[i] <= SKIN_CLASSES;
      const seen = Uint8Array.from(uv.source, (s, i) => (s === TexelSource.observed && skin(i) ? 1 : 0));
      const completed = Uint8Array.from(uv.source, (s, i) =>
        s !== TexelSource.observed && s !== 0 && skin(i) ? 1 : 0,
      );
      const domain = Uint8Array.from(cls, (_, i) => (skin(i) ? 1 : 0));
      const hfSeen = highFrequencyEnergy(uv.texture, seen, size);
      const hfCompleted = highFrequencyEnergy(uv.texture, completed, size);
      figures[completion] = {
        ms: Math.round(ms),
        hfSeen,
        hfCompleted,
        hfRatio: hfCompleted / hfSeen,
        seam: seamStep(uv.texture, seen, domain, size),
        stats: uv.stats,
      };
      pngs[completion] = await encodePng(rgbFloatToRgba(uv.texture, size, size));
    }
    return { figures, pngs };
  });
}
