/**
 * Diffuse skin albedo from two chromophores, melanin in the epidermis and haemoglobin in the dermis:
 * the spectral two-layer model of Donner & Jensen ("A Spectral BSSRDF for Shading Human Skin", EGSR
 * 2006), as Jimenez et al. use it for facial colour ("A Practical Appearance Model for Dynamic Facial
 * Color", SIGGRAPH Asia 2010), reduced to what an albedo map needs: the epidermis as an absorbing
 * filter crossed twice, the dermis as a semi-infinite scattering medium (diffusion-theory total
 * reflectance), integrated against the CIE 1931 observer into linear sRGB.
 */
import { ita, labOf } from './metrics.ts';

const WAVELENGTHS = Array.from({ length: 31 }, (_, i) => 400 + 10 * i); // nm

/** Eumelanin and pheomelanin absorption, mm⁻¹ (Donner & Jensen 2006, eqs. 3–4, after Jacques). */
const eumelanin = (l: number) => 6.6e10 * l ** -3.33;
const pheomelanin = (l: number) => 2.9e14 * l ** -4.75;
/** Melanin-free, blood-free skin absorption, mm⁻¹ (Donner & Jensen 2006, eq. 5). */
const baseline = (l: number) => 0.0244 + 8.53 * Math.exp(-(l - 154) / 66.2);

/**
 * Molar extinction of oxy- and deoxyhaemoglobin, cm⁻¹/M, sampled from S. Prahl's compilation
 * (omlc.org/spectra/hemoglobin, after Gratzer and Kollias; 630–700 nm agree with the Moaveni table
 * there) at the wavelengths below, rounded; log-linear in between, constant below 450 nm (where the
 * colour-matching weights of the blue channel are small compared to melanin's absorption).
 */
const HB_TABLE: [number, number, number][] = [
  // nm, HbO2, Hb
  [450, 62816, 103292],
  [480, 26629, 14550],
  [500, 20932, 20862],
  [520, 24202, 31590],
  [542, 53236, 46592],
  [560, 32613, 53788],
  [576, 55540, 45072],
  [590, 14400, 28324],
  [600, 3200, 14677],
  [630, 610, 5148],
  [650, 368, 3750],
  [700, 290, 1794],
];

function hbExtinction(l: number, column: 1 | 2): number {
  if (l <= HB_TABLE[0][0]) return HB_TABLE[0][column];
  for (let i = 1; i < HB_TABLE.length; i++) {
    const [l1] = HB_TABLE[i];
    if (l <= l1) {
      const [l0] = HB_TABLE[i - 1];
      const t = (l - l0) / (l1 - l0);
      return Math.exp((1 - t) * Math.log(HB_TABLE[i - 1][column]) + t * Math.log(HB_TABLE[i][column]));
    }
  }
  return HB_TABLE[HB_TABLE.length - 1][column];
}

/** Whole-blood absorption, mm⁻¹: µa = 2.303 · ε · 150 g/L / 64,500 g/mol (Donner & Jensen 2006, eq. 6). */
function bloodAbsorption(l: number, oxygenation: number): number {
  const eps = oxygenation * hbExtinction(l, 1) + (1 - oxygenation) * hbExtinction(l, 2);
  return (2.303 * eps * 150) / 64500 / 10;
}

/** Reduced scattering of dermis, mm⁻¹: µs' = 46 cm⁻¹ · (λ / 500 nm)^−1.421 (Jacques, "Optical properties of biological tissues: a review", Phys. Med. Biol. 2013, Table 2, skin). */
const dermisScattering = (l: number) => 4.6 * (l / 500) ** -1.421;

/** Diffuse reflectance of a semi-infinite medium (Jensen, Marschner, Levoy & Hanrahan, "A Practical Model for Subsurface Light Transport", SIGGRAPH 2001, eq. for Rd with relative index η = 1.4). */
function diffusionReflectance(albedo: number): number {
  const eta = 1.4;
  const fdr = -1.44 / eta ** 2 + 0.71 / eta + 0.668 + 0.0636 * eta;
  const a = (1 + fdr) / (1 - fdr);
  const s = Math.sqrt(3 * (1 - albedo));
  return (albedo / 2) * (1 + Math.exp((-4 / 3) * a * s)) * Math.exp(-s);
}

/** Piecewise Gaussian of the CIE 1931 fit (Wyman, Sloan & Shirley, "Simple Analytic Approximations to the CIE XYZ Color Matching Functions", JCGT 2013). */
const g = (x: number, mu: number, s1: number, s2: number) =>
  Math.exp(-0.5 * ((x - mu) / (x < mu ? s1 : s2)) ** 2);
const cieX = (l: number) =>
  1.056 * g(l, 599.8, 37.9, 31.0) + 0.362 * g(l, 442.0, 16.0, 26.7) - 0.065 * g(l, 501.1, 20.4, 26.2);
const cieY = (l: number) => 0.821 * g(l, 568.8, 46.9, 40.5) + 0.286 * g(l, 530.9, 16.3, 31.1);
const cieZ = (l: number) => 1.217 * g(l, 437.0, 11.8, 36.0) + 0.681 * g(l, 459.0, 26.0, 13.8);

export interface Chromophores {
  /** Volume fraction of melanin in the epidermis (Donner & Jensen's range: 0.1 % to 50 %). */
  melanin: number;
  /** Volume fraction of blood in the dermis (0.1 % to 20 %). */
  haemoglobin: number;
  /** Share of eumelanin in the melanin (default 0.7: the blend Donner & Jensen render with). */
  eumelanin?: number;
  /** Share of oxyhaemoglobin (default 0.75, typical venous–arterial mix). */
  oxygenation?: number;
}

/** Epidermis thickness, mm (Donner & Jensen 2006 use 0.25 mm). */
const EPIDERMIS_MM = 0.25;

/** Diffuse albedo in linear sRGB (D65 white, von Kries in XYZ from the equal-energy illuminant). */
export function skinAlbedo(c: Chromophores): [number, number, number] {
  const beta = c.eumelanin ?? 0.7;
  const oxy = c.oxygenation ?? 0.75;
  let [X, Y, Z, W] = [0, 0, 0, 0];
  for (const l of WAVELENGTHS) {
    const epi =
      c.melanin * (beta * eumelanin(l) + (1 - beta) * pheomelanin(l)) + (1 - c.melanin) * baseline(l);
    const derma = c.haemoglobin * bloodAbsorption(l, oxy) + (1 - c.haemoglobin) * baseline(l);
    const s = dermisScattering(l);
    const r = Math.exp(-2 * epi * EPIDERMIS_MM) * diffusionReflectance(s / (s + derma));
    X += r * cieX(l);
    Y += r * cieY(l);
    Z += r * cieZ(l);
    W += cieY(l);
  }
  [X, Y, Z] = [(X / W) * 0.95047, Y / W, (Z / W) * 1.08883];
  return [
    3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z,
    -0.969266 * X + 1.8760108 * Y + 0.041556 * Z,
    0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z,
  ].map((v) => Math.max(0, v)) as [number, number, number];
}

/** ITA° of the albedo of these chromophores. */
export function skinIta(c: Chromophores): number {
  return ita(labOf(skinAlbedo(c)));
}

/**
 * The melanin fraction whose skin has the given ITA° at this blood fraction (bisection: ITA falls
 * monotonically as melanin rises). Clamped to [0.001, 0.5].
 */
export function melaninForIta(target: number, haemoglobin: number): number {
  let lo = 0.001;
  let hi = 0.5;
  for (let i = 0; i < 40; i++) {
    const mid = Math.sqrt(lo * hi);
    if (skinIta({ melanin: mid, haemoglobin }) > target) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}
