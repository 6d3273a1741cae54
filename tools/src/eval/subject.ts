/**
 * Procedural subjects with known truth: a head shape drawn from the ICT Face Model's identity prior,
 * on the pipeline's head atlas, with diffuse albedo from the two-chromophore skin model, specular
 * strength and roughness per facial region, and pores as specular normals.
 */
import { rng } from '@avatarme/kernels/core/random.ts';
import type { TexturedMesh } from '@avatarme/pipeline/export/mesh.ts';
import { prepareHead } from '@avatarme/pipeline/head/prepare.ts';
import { vertexNormals } from '@avatarme/pipeline/mesh/normals.ts';
import { evaluateShape, type MorphableModel } from '@avatarme/pipeline/morphable/model.ts';
import { gatherPositions } from '@avatarme/pipeline/morphable/uv-mesh.ts';
import {
  blendRegions,
  HAIR_SPECULAR_FACTOR,
  SKIN_SPECULAR,
  SKIN_SPECULAR_SPREAD,
} from '@avatarme/pipeline/reflectance/skin-specular.ts';
import { skinAlbedo } from './skin-model.ts';
import { dilate, interpolate, rasteriseUv } from './uv-raster.ts';

/** Linear maps of a subject, float, row-major; what the glTF file stores (8-bit) and the metrics read. */
export interface SubjectMaps {
  size: number;
  /** Linear RGB [size²·3]. */
  diffuseAlbedo: Float32Array;
  /** Specular strength on the skin renderer's scale [size²]. */
  specular: Float32Array;
  /** GGX α [size²] (≈ the Beckmann m of Torrance–Sparrow fits; glTF stores √α in metallicRoughness green). */
  roughness: Float32Array;
  /** Tangent-space unit normals, OpenGL convention [size²·3]. */
  specularNormals: Float32Array;
  diffuseNormals: Float32Array;
}

export interface GeneratedSubject {
  name: string;
  /** Positions in metres (glTF's unit), y up, face towards +z. */
  mesh: TexturedMesh;
  maps: SubjectMaps;
  meta: { seed: number; targetIta: number; melanin: number; haemoglobin: number; freckles: boolean };
}

function gaussianSampler(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Blur of a plane with a box filter applied three times (≈ Gaussian of σ ≈ radius·0.6·√3, wraps nothing). */
function smoothPlane(x: Float32Array, size: number, radius: number): Float32Array {
  let a = Float32Array.from(x);
  const pass = (src: Float32Array, horizontal: boolean) => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < size; y++)
      for (let i = 0; i < size; i++) {
        let s = 0;
        let n = 0;
        for (let k = -radius; k <= radius; k++) {
          const [u, v] = horizontal ? [i + k, y] : [i, y + k];
          if (u < 0 || v < 0 || u >= size || v >= size) continue;
          s += src[v * size + u];
          n++;
        }
        out[y * size + i] = s / n;
      }
    return out;
  };
  for (let r = 0; r < 3; r++) a = pass(pass(a, true), false);
  return a;
}

/** Tangent-space normals (OpenGL: green up the image) of a height field in texels. */
function heightToNormals(h: Float32Array, size: number, strength: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  const at = (x: number, y: number) =>
    h[Math.min(size - 1, Math.max(0, y)) * size + Math.min(size - 1, Math.max(0, x))];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const dx = (at(x + 1, y) - at(x - 1, y)) / 2;
      const dRow = (at(x, y + 1) - at(x, y - 1)) / 2;
      const n = [-dx * strength, dRow * strength, 1];
      const l = Math.hypot(n[0], n[1], n[2]);
      out.set([n[0] / l, n[1] / l, n[2] / l], 3 * (y * size + x));
    }
  return out;
}

/**
 * Facial regions as smooth weights around 68-landmark anchors of the fitted shape (multi-PIE order:
 * 8 chin, 17–26 brows, 27–30 nose bridge, 30 tip, 31–35 nostrils, 36–47 eyes, 48–59 outer lips).
 */
function regionAnchors(shape: Float32Array, landmarks: Uint32Array) {
  const lm = (i: number) => [0, 1, 2].map((k) => shape[3 * landmarks[i] + k]);
  const avg = (...ids: number[]) => [0, 1, 2].map((k) => ids.reduce((s, i) => s + lm(i)[k], 0) / ids.length);
  const up = (p: number[], cm: number) => [p[0], p[1] + cm, p[2]];
  return {
    nose: avg(30, 33),
    cheekL: avg(2, 31, 40),
    cheekR: avg(14, 35, 47),
    lips: avg(48, 51, 54, 57),
    chin: up(lm(8), 1.2),
    forehead: up(avg(19, 24), 3.5),
    brows: [17, 18, 19, 20, 21, 22, 23, 24, 25, 26].map(lm),
  };
}

const REGIONS = ['forehead', 'nose', 'cheek', 'chin', 'lips'] as const;

/**
 * The subject's specular strength (the skin renderer's specular albedo) and GGX α per region, drawn
 * around the means of the specular table the analytic prior uses (skin-specular.ts: skin's measured
 * F0 and lobe width, the regional order of Weyrich et al. 2006): log-normal, one factor for the whole
 * face (how oily the subject is) with the table's spread between subjects, and one per region with
 * half of it.
 */
function drawSpecular(
  normal: () => number,
): Record<(typeof REGIONS)[number] | 'skin', { strength: number; roughness: number }> {
  const face = { strength: normal(), alpha: normal() };
  const out = {} as Record<(typeof REGIONS)[number] | 'skin', { strength: number; roughness: number }>;
  for (const r of [...REGIONS, 'skin'] as const) {
    const draw = (key: 'strength' | 'alpha') =>
      SKIN_SPECULAR[r][key] * Math.exp(SKIN_SPECULAR_SPREAD[key] * (face[key] + 0.5 * normal()));
    out[r] = { strength: Math.min(1, draw('strength')), roughness: Math.min(0.8, draw('alpha')) };
  }
  return out;
}

/** Albedo (linear) of parts that are not skin; chosen by eye, they lie outside the face metrics' skin. */
const SCLERA = [0.62, 0.6, 0.58];
const TEETH = [0.6, 0.55, 0.45];
const GUMS = [0.45, 0.12, 0.12];
const BROW_HAIR = [0.035, 0.025, 0.02];
const IRIS = [0.09, 0.05, 0.03];
const PUPIL = [0.01, 0.01, 0.01];

/**
 * Iris and pupil per vertex of the eyeballs [N·2]: by the angle between +z (ICT's neutral gaze) and
 * the direction from the eyeball's centre — iris within 28°, pupil within 11° (an 11.5 mm iris and a
 * 4 mm pupil on a 12 mm-radius eye).
 */
function irisWeights(
  positions: Float32Array,
  topology: ReturnType<typeof prepareHead>['topology'],
): Float32Array {
  const out = new Float32Array((positions.length / 3) * 2);
  for (const name of ['M_ScleraLeft', 'M_ScleraRight']) {
    const m = topology.materials.indexOf(name);
    const ids = new Set<number>();
    for (let t = 0; t < topology.triangles.length / 3; t++)
      if (topology.materialOfTriangle[t] === m)
        for (let k = 0; k < 3; k++) ids.add(topology.triangles[3 * t + k]);
    const c = [0, 0, 0];
    for (const v of ids) for (let k = 0; k < 3; k++) c[k] += positions[3 * v + k] / ids.size;
    for (const v of ids) {
      const d = [0, 1, 2].map((k) => positions[3 * v + k] - c[k]);
      const angle =
        (Math.acos(Math.max(-1, Math.min(1, d[2] / Math.hypot(d[0], d[1], d[2])))) * 180) / Math.PI;
      out[2 * v] = Math.min(1, Math.max(0, (30 - angle) / 4));
      out[2 * v + 1] = Math.min(1, Math.max(0, (12 - angle) / 2));
    }
  }
  return out;
}

/** Skin albedo over a (log melanin, log blood) grid: skinAlbedo is spectral, too slow per texel. */
class AlbedoTable {
  private readonly n = 24;
  private readonly table: Float32Array;
  constructor(
    private readonly m: [number, number],
    private readonly h: [number, number],
  ) {
    this.table = new Float32Array(this.n * this.n * 3);
    for (let i = 0; i < this.n; i++)
      for (let j = 0; j < this.n; j++)
        this.table.set(
          skinAlbedo({ melanin: this.at(m, i), haemoglobin: this.at(h, j) }),
          3 * (i * this.n + j),
        );
  }
  private at(r: [number, number], i: number): number {
    return Math.exp(Math.log(r[0]) + ((Math.log(r[1]) - Math.log(r[0])) * i) / (this.n - 1));
  }
  private index(r: [number, number], v: number): number {
    const t =
      (Math.log(Math.min(r[1], Math.max(r[0], v))) - Math.log(r[0])) / (Math.log(r[1]) - Math.log(r[0]));
    return t * (this.n - 1);
  }
  lookup(melanin: number, blood: number): number[] {
    const fi = this.index(this.m, melanin);
    const fj = this.index(this.h, blood);
    const [i0, j0] = [Math.min(this.n - 2, Math.floor(fi)), Math.min(this.n - 2, Math.floor(fj))];
    const [ti, tj] = [fi - i0, fj - j0];
    const out = [0, 0, 0];
    for (const [di, dj, w] of [
      [0, 0, (1 - ti) * (1 - tj)],
      [1, 0, ti * (1 - tj)],
      [0, 1, (1 - ti) * tj],
      [1, 1, ti * tj],
    ])
      for (let k = 0; k < 3; k++) out[k] += w * this.table[3 * ((i0 + di) * this.n + j0 + dj) + k];
    return out;
  }
}

export interface SubjectOptions {
  seed: number;
  /** ITA° of the subject's base skin tone. */
  ita: number;
  /** Melanin fraction giving that ITA (melaninForIta), computed by the caller once per tone. */
  melanin: number;
  /** Side of the texture maps (default 512: the face gets about 335² texels of the head atlas). */
  size?: number;
  /** Standard deviation of the identity weights (default 0.8 of the model's unit-variance prior). */
  identitySigma?: number;
}

/** Base dermal blood fraction, and the extra on nose, cheeks and lips (chosen within Donner & Jensen's 0.1–20 %). */
const BLOOD = { base: 0.004, nose: 0.008, cheek: 0.01, lips: 0.04 };

export function generateSubject(model: MorphableModel, opts: SubjectOptions): GeneratedSubject {
  const size = opts.size ?? 512;
  const rand = rng(opts.seed);
  const normal = gaussianSampler(rand);
  const sigma = opts.identitySigma ?? 0.8;
  const identity = Array.from({ length: model.identity.count }, () =>
    Math.max(-2.5, Math.min(2.5, normal() * sigma)),
  );
  const expression = new Array(model.expression.count).fill(0);
  const shape = evaluateShape(model, identity, expression);
  const { topology } = prepareHead(model);
  const positionsCm = gatherPositions(shape, topology.sourceVertex);
  const normals = gatherPositions(vertexNormals(shape, topology.modelTriangles), topology.sourceVertex);
  const anchors = regionAnchors(shape, model.landmarks);

  // Per-vertex region weights (Gaussian falloff in cm) and material.
  const nv = positionsCm.length / 3;
  const nRegions = REGIONS.length + 1; // + brows
  const weights = new Float32Array(nv * nRegions);
  const fall = (p: number[], q: number[], r: number) =>
    Math.exp(-((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2) / (2 * r * r));
  for (let v = 0; v < nv; v++) {
    const p = [positionsCm[3 * v], positionsCm[3 * v + 1], positionsCm[3 * v + 2]];
    const w = [
      fall(p, anchors.forehead, 2.5),
      fall(p, anchors.nose, 1.3),
      Math.max(fall(p, anchors.cheekL, 1.8), fall(p, anchors.cheekR, 1.8)),
      fall(p, anchors.chin, 1.4),
      fall(p, anchors.lips, 0.9),
      Math.max(...anchors.brows.map((b) => fall(p, [b[0], b[1] + 0.2, b[2]], 0.45))),
    ];
    weights.set(w, v * nRegions);
  }
  const iris = irisWeights(positionsCm, topology);

  const raster = rasteriseUv(topology.uvs, topology.triangles, size);
  const texW = interpolate(raster, topology.triangles, weights, nRegions);
  const texIris = interpolate(raster, topology.triangles, iris, 2);
  const covered = Uint8Array.from(raster.triangle, (t) => (t >= 0 ? 1 : 0));
  const materialOf = (i: number) => topology.materials[topology.materialOfTriangle[raster.triangle[i]]];

  // Low-frequency mottling and (for some subjects) freckles, in texel space of the atlas.
  const noise = (radius: number) =>
    smoothPlane(
      Float32Array.from({ length: size * size }, () => normal()),
      size,
      radius,
    );
  const mottle = noise(6);
  const mottleStd = Math.sqrt(mottle.reduce((s, v) => s + v * v, 0) / mottle.length) || 1;
  const freckles = rand() < 0.4 && opts.ita > 20;
  const freckleField = new Float32Array(size * size);
  if (freckles)
    for (let i = 0; i < size * size * 0.004; i++) freckleField[Math.floor(rand() * size * size)] = 1;
  const freckleSpots = smoothPlane(freckleField, size, 1);

  const table = new AlbedoTable([0.001, 0.5], [0.001, 0.2]);
  // A generator of its own, so the shape, albedo and pores stay what the seed gave before.
  const SPECULAR = drawSpecular(gaussianSampler(rng(opts.seed ^ 0x5bec7a)));
  const albedo = new Float32Array(size * size * 3);
  const specular = new Float32Array(size * size);
  const roughness = new Float32Array(size * size);
  const poreAmplitude = new Float32Array(size * size);
  for (let i = 0; i < size * size; i++) {
    if (!covered[i]) continue;
    const mat = materialOf(i);
    const w = Array.from(texW.subarray(i * nRegions, (i + 1) * nRegions));
    const [wf, wn, wc, wch, wl, wb] = w;
    if (mat === 'M_Face' || mat === 'M_BackHead') {
      const melanin =
        opts.melanin *
        (1 + 0.12 * (mottle[i] / mottleStd)) *
        (1 - 0.25 * wl) *
        (1 + 6 * Math.min(1, freckleSpots[i] * 9) * (wn + wc));
      const blood = BLOOD.base + BLOOD.nose * wn + BLOOD.cheek * wc + BLOOD.lips * wl;
      let rgb = table.lookup(melanin, blood);
      const brow = Math.min(1, wb * 1.4) * (0.6 + 0.4 * Math.abs(mottle[i] / mottleStd));
      rgb = rgb.map((c, k) => c * (1 - Math.min(1, brow)) + BROW_HAIR[k] * Math.min(1, brow));
      albedo.set(rgb, 3 * i);
      const mix = (key: 'strength' | 'roughness') =>
        blendRegions(
          [wf, wn, wc, wch, wl],
          REGIONS.map((r) => SPECULAR[r][key]),
          SPECULAR.skin[key],
        );
      specular[i] = mix('strength') * (1 - (1 - HAIR_SPECULAR_FACTOR) * Math.min(1, brow));
      roughness[i] = mix('roughness');
      poreAmplitude[i] = 0.6 + 0.8 * (wn + wc) - 0.5 * wl;
    } else {
      let rgb = mat === 'M_Teeth' ? TEETH : mat === 'M_GumsTongue' ? GUMS : SCLERA;
      if (mat.startsWith('M_Sclera')) {
        const [wi, wp] = [texIris[2 * i], texIris[2 * i + 1]];
        rgb = rgb.map((c, k) => c * (1 - wi) + (IRIS[k] * (1 - wp) + PUPIL[k] * wp) * wi);
      }
      albedo.set(rgb, 3 * i);
      specular[i] = mat.startsWith('M_Sclera') ? 0.8 : 0.5;
      roughness[i] = 0.2;
      poreAmplitude[i] = 0;
    }
  }
  // Pores: fine noise, deeper where the amplitude is high; fine horizontal forehead lines.
  const fine = noise(0);
  const height = new Float32Array(size * size);
  for (let i = 0; i < size * size; i++) {
    const y = Math.floor(i / size);
    const wf = texW[i * nRegions];
    height[i] = poreAmplitude[i] * fine[i] * 0.5 + 0.6 * wf * Math.sin(y * 0.9) * 0.5;
  }
  const specularNormals = heightToNormals(height, size, 1.2);
  // Subsurface scattering blurs the diffuse normals (Ma et al., EGSR 2007): the same detail, low-passed.
  const diffuseNormals = heightToNormals(smoothPlane(height, size, 2), size, 1.2);
  for (const [data, ch] of [
    [albedo, 3],
    [specular, 1],
    [roughness, 1],
    [specularNormals, 3],
    [diffuseNormals, 3],
  ] as const)
    dilate(data, covered, size, ch, 4);

  return {
    name: `subject-${opts.seed}`,
    mesh: {
      positions: positionsCm.map((v) => v * 0.01),
      normals,
      uvs: topology.uvs,
      triangles: topology.triangles,
      metresPerUnit: 1,
    },
    maps: { size, diffuseAlbedo: albedo, specular, roughness, specularNormals, diffuseNormals },
    meta: { seed: opts.seed, targetIta: opts.ita, melanin: opts.melanin, haemoglobin: BLOOD.base, freckles },
  };
}
