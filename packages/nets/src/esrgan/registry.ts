import { pixelsToRange } from '../tiled/pixel-range.ts';

/**
 * The pretrained UpscalerJS super-resolution models (MIT): which npm package and file each is, and the
 * value ranges its weights were trained for (packages/shared/src/esrgan/esrgan.ts in UpscalerJS):
 * the RDN models (slim, medium, default) take and give pixels in [0, 255]; the RRDN model (thick)
 * takes and gives [0, 1]. The parity tests check these ranges numerically against TF.js.
 */
export const ESRGAN_MODELS = ['esrgan-slim', 'esrgan-medium', 'esrgan-thick', 'default'] as const;
export type EsrganModelName = (typeof ESRGAN_MODELS)[number];

export interface EsrganModelInfo {
  model: EsrganModelName;
  scale: number;
  npmPackage: string;
  /** model.json inside the package. */
  path: string;
  architecture: 'rdn' | 'rrdn';
  inputRange: [number, number];
  outputRange: [number, number];
  /** The LR patch size the weights were trained on (UpscalerJS's meta.patchSize). */
  trainedPatch: number;
}

const PACKAGES: Record<EsrganModelName, { npm: string; scales: number[]; architecture: 'rdn' | 'rrdn' }> = {
  'esrgan-slim': { npm: '@upscalerjs/esrgan-slim', scales: [2, 3, 4, 8], architecture: 'rdn' },
  'esrgan-medium': { npm: '@upscalerjs/esrgan-medium', scales: [2, 3, 4, 8], architecture: 'rdn' },
  'esrgan-thick': { npm: '@upscalerjs/esrgan-thick', scales: [2, 3, 4, 8], architecture: 'rrdn' },
  // default-model is the slim RDN at ×2 only, stored at models/model.json.
  default: { npm: '@upscalerjs/default-model', scales: [2], architecture: 'rdn' },
};

export function esrganScales(model: EsrganModelName): readonly number[] {
  return PACKAGES[model].scales;
}

export function esrganModel(model: string, scale: number): EsrganModelInfo {
  const p = PACKAGES[model as EsrganModelName];
  if (!p) throw new Error(`esrgan: unknown model "${model}" (expected ${ESRGAN_MODELS.join(', ')})`);
  if (!p.scales.includes(scale))
    throw new Error(`esrgan: ${model} has no ×${scale} model (scales: ${p.scales.join(', ')})`);
  const range: [number, number] = p.architecture === 'rdn' ? [0, 255] : [0, 1];
  return {
    model: model as EsrganModelName,
    scale,
    npmPackage: p.npm,
    path: model === 'default' ? 'models/model.json' : `models/x${scale}/model.json`,
    architecture: p.architecture,
    inputRange: range,
    outputRange: [...range],
    trainedPatch: scale === 3 ? 129 : 128,
  };
}

/** URL of the model.json when node_modules is served at `base` (the dev server serves /node_modules/). */
export function esrganModelUrl(info: EsrganModelInfo, base = '/node_modules/'): string {
  return `${base}${info.npmPackage}/${info.path}`;
}

/** RGB pixels in [0, 255] → the model's input range. */
export function toModelRange(rgb255: Float32Array, info: EsrganModelInfo): Float32Array {
  return pixelsToRange(rgb255, info.inputRange);
}

/** The model's output range → pixels, clamped to [0, 255] (rounding is left to the image encoder). */
export function toPixels(out: Float32Array, info: EsrganModelInfo): Float32Array {
  const [lo, hi] = info.outputRange;
  const k = 255 / (hi - lo);
  return out.map((v) => Math.min(255, Math.max(0, (v - lo) * k)));
}
