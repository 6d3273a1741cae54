import { insidePolygon } from '../math/polygon.ts';
import { vertexNormals } from '../mesh/normals.ts';
import type { MorphableModel } from '../morphable/model.ts';

// 68-point landmarks (multi-PIE order) that outline features which are not bare skin.
const BROWS = [17, 18, 19, 20, 21, 22, 23, 24, 25, 26];
const EYES = [36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47];
const NOSTRILS = [31, 32, 33, 34, 35];
const LIPS = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67];

/** Distance (model units: cm) kept from brow, eye, nostril and lip landmarks. */
const FEATURE_MARGIN = 1.0;
/** Minimum z of the neutral normal: the front of the face, not the underside of the jaw. */
const MIN_FRONT = 0.3;

/** 1 where a vertex is at least FEATURE_MARGIN from every brow, eye, nostril and lip landmark [V]. */
function awayFromFeatures(
  model: Pick<MorphableModel, 'neutral' | 'landmarks' | 'vertexCount'>,
  first: number,
  last: number,
): Uint8Array {
  const p = model.neutral;
  const features = [...BROWS, ...EYES, ...NOSTRILS, ...LIPS].map((i) => model.landmarks[i]);
  const out = new Uint8Array(model.vertexCount);
  for (let v = first; v <= last; v++) {
    const near = features.some(
      (f) =>
        Math.hypot(p[3 * v] - p[3 * f], p[3 * v + 1] - p[3 * f + 1], p[3 * v + 2] - p[3 * f + 2]) <
        FEATURE_MARGIN,
    );
    if (!near) out[v] = 1;
  }
  return out;
}

function region(model: Pick<MorphableModel, 'regions'>, name: string) {
  const r = model.regions.find((x) => x.name === name);
  if (!r) throw new RangeError(`head skin: the model has no '${name}' region`);
  return r;
}

/**
 * 1 for model vertices of bare cheek, nose, chin and upper-lip skin, 0 elsewhere [V]: vertices of the
 * 'face' region inside the outline of the neutral face (jaw contour 0–16 closed along the brows
 * 26–17, seen from the front), facing forward, and at least FEATURE_MARGIN from every brow, eye,
 * nostril and lip landmark. The forehead above the brows is left out (hair often covers it). These
 * texels weigh the lighting fit and give the fill its skin tone.
 */
export function skinVertices(
  model: Pick<MorphableModel, 'neutral' | 'triangles' | 'regions' | 'landmarks' | 'vertexCount'>,
): Uint8Array {
  const p = model.neutral;
  const lm = (i: number) => model.landmarks[i];
  const outline: [number, number][] = [];
  for (let i = 0; i <= 16; i++) outline.push([p[3 * lm(i)], p[3 * lm(i) + 1]]);
  for (let i = 26; i >= 17; i--) outline.push([p[3 * lm(i)], p[3 * lm(i) + 1]]);
  const face = region(model, 'face');
  const normals = vertexNormals(p, model.triangles);
  const out = awayFromFeatures(model, face.first, face.last);
  for (let v = face.first; v <= face.last; v++) {
    if (normals[3 * v + 2] < MIN_FRONT || !insidePolygon(p[3 * v], p[3 * v + 1], outline)) out[v] = 0;
  }
  return out;
}

/**
 * 1 for model vertices that should show bare skin anywhere on the head — face (forehead included),
 * scalp, ears and neck — away from brows, eyes, nostrils and lips [V]: where hair, clothing or
 * glasses in a photo are occluders, not skin.
 */
export function bareSkinVertices(
  model: Pick<MorphableModel, 'neutral' | 'regions' | 'landmarks' | 'vertexCount'>,
): Uint8Array {
  const face = region(model, 'face');
  const neck = region(model, 'head_and_neck');
  const out = awayFromFeatures(model, face.first, face.last);
  out.fill(1, neck.first, neck.last + 1);
  return out;
}
