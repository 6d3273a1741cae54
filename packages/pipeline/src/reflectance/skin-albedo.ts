import { srgbToLinear } from '../math/colour.ts';
import { shrinkAlbedoContrast, SKIN_ALBEDO_CONTRAST } from './albedo-contrast.ts';
import type { DelightResult } from './delight.ts';
import { darkSkinSheen } from './sheen.ts';
import { rebuildUnseenSkin } from './unseen-skin.ts';

/**
 * The skin's de-lit albedo, refined where the de-lighting's model falls short (both measured in the
 * eval's albedo split, tools/src/eval/albedo-diagnostics.ts): the grey sheen of dark skin taken out
 * (darkSkinSheen, from the mean colour of the de-lit skin before white balance) and the local contrast
 * shrunk against the lighting fit's residual (shrinkAlbedoContrast) on `bare` skin only. `skin`: the
 * texels to refine (the skin region inside the layout); `bare`: those of them whose contrast is bare
 * skin's (default all of `skin`; not brows, eyelids, lips); `unseen`: the bare skin the completion
 * made up (texels) and the texels' model-space positions (cm), rebuilt from the seen bare skin's
 * regional colour and texture after the shrink (rebuildUnseenSkin). Their ratio (albedo ÷ linear
 * texture) follows. In place.
 */
export function refineSkinAlbedo(
  size: number,
  delit: Pick<DelightResult, 'albedo' | 'ratio' | 'lighting' | 'delit' | 'illuminant'>,
  texture: Float32Array,
  skin: Uint8Array,
  bare: ArrayLike<number> = skin,
  unseen?: { texels: ArrayLike<number>; positions: ArrayLike<number> },
): { sheen: number; contrastKept: number; rebuilt: number } {
  const { albedo, illuminant } = delit;
  const mean = [0, 0, 0];
  let n = 0;
  for (let i = 0; i < size * size; i++) {
    if (!skin[i] || !delit.delit[i] || !(delit.lighting.weights[i] > 0)) continue;
    for (let c = 0; c < 3; c++) mean[c] += albedo[3 * i + c] * illuminant[c];
    n++;
  }
  const sheen = n ? darkSkinSheen(mean.map((v) => v / n)) : 0;
  if (sheen > 0)
    for (let i = 0; i < size * size; i++)
      if (skin[i])
        for (let c = 0; c < 3; c++)
          albedo[3 * i + c] = Math.max(0, albedo[3 * i + c] - sheen / illuminant[c]);
  const bareSkin = Uint8Array.from(skin, (v, i) => (v && bare[i] ? 1 : 0));
  const features = Uint8Array.from(skin, (v, i) => (v && !bare[i] ? 1 : 0));
  const contrastKept = shrinkAlbedoContrast(
    size,
    albedo,
    bareSkin,
    delit.lighting.sigma,
    SKIN_ALBEDO_CONTRAST,
    features,
  );
  const rebuilt = unseen
    ? rebuildUnseenSkin(
        size,
        albedo,
        unseen.positions,
        Uint8Array.from(bareSkin, (v, i) => (v && delit.delit[i] ? 1 : 0)),
        Uint8Array.from(bareSkin, (v, i) => (v && unseen.texels[i] > 0 ? 1 : 0)),
      )
    : 0;
  if (sheen > 0 || contrastKept < 1 || rebuilt > 0)
    for (let i = 0; i < size * size; i++)
      if (skin[i])
        for (let c = 0; c < 3; c++)
          delit.ratio[3 * i + c] =
            Math.max(albedo[3 * i + c], 1e-4) / Math.max(srgbToLinear(texture[3 * i + c]), 1e-4);
  return { sheen, contrastKept, rebuilt };
}
