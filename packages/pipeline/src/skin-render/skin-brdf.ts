/**
 * The skin BRDF's constants, shared by the renderer and the glTF export so that both say the same
 * thing about the surface.
 *
 * Specular reflectance at normal incidence: skin's F0 is about 0.028 (index of refraction ≈ 1.4 of the
 * oily layer; d'Eon & Luebke, GPU Gems 3 ch. 14, after Weyrich et al., "Analysis of Human Faces using a
 * Measurement-Based Skin Reflectance Model", SIGGRAPH 2006). Our specular albedo map a_s is a
 * relative level whose typical skin value (the analytic prior's base, cheeks) is 0.25, so
 *   F0 = 0.028 · a_s / 0.25.
 * The lobe is GGX (Trowbridge–Reitz) with Smith height-correlated visibility, energy-normalised by
 * construction. Weyrich et al. fit measured faces with a Torrance–Sparrow (Beckmann) lobe; d'Eon &
 * Luebke take a slope m = 0.3 from those fits, and GGX with α = m has the same peak width with a
 * longer tail (the measured highlights of skin have one). α = 0.3 ⇒ glTF's perceptual roughness
 * √α ≈ 0.55: the renderer's default without a roughness map; the reflectance stage writes one per
 * region around it (reflectance/roughness.ts).
 */
export const SKIN_F0 = 0.028;
export const SPECULAR_ALBEDO_REFERENCE = 0.25;
export const SKIN_ALPHA = 0.3;
export const SKIN_ROUGHNESS = Math.sqrt(SKIN_ALPHA);

/** F0 for a specular albedo value in [0, 1]. */
export function skinF0(specularAlbedo: number): number {
  return (SKIN_F0 * specularAlbedo) / SPECULAR_ALBEDO_REFERENCE;
}

/**
 * KHR_materials_specular: F0 = 0.04 (ior 1.5) · specularColorFactor · specularColorTexture
 *                                · specularFactor · specularTexture.a.
 * With the specular albedo in specularTexture's alpha, a white colour and specularFactor 1, the
 * colour factor carries the scale: 0.04 · k · a_s = 0.028 · a_s / 0.25 ⇒ k = 0.7 / 0.25 = 2.8 (the
 * extension allows colour factors above 1; F0 stays well below 1 for any a_s ≤ 1). The extension
 * also makes the strength the grazing reflectance, F90 = specularFactor · specularTexture.a = a_s,
 * and the renderer does the same, so a_s scales the whole lobe as AvatarMe's specular albedo does.
 */
export const GLTF_SPECULAR_COLOR_FACTOR = SKIN_F0 / SPECULAR_ALBEDO_REFERENCE / 0.04;
