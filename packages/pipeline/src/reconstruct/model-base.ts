import type { ReconstructOptions } from './types.ts';

/**
 * The model folders under `modelBaseUrl`, in the layout `avatarme-models <dir>` writes: human/ (the
 * face networks), @upscalerjs/<model>/models/ (ESRGAN) and ict-head/ (the built-in head). A folder
 * named in `assets` wins over the one derived from the base.
 */
export function modelAssets(options: ReconstructOptions): ReconstructOptions['assets'] {
  const base = options.modelBaseUrl;
  if (base === undefined) return options.assets;
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    humanModels: `${root}human/`,
    upscalerModels: root,
    headModel: `${root}ict-head/`,
    ...options.assets,
  };
}
