import type { TriangleGroup } from './obj.ts';

/** A named set of linear modes over every vertex: mode k of vertex v is data[(k·V + v)·3 + xyz]. */
export interface ModeSet {
  count: number;
  names: string[];
  /** [count·V·3] offsets from the neutral mesh. */
  data: Float32Array;
}

/** A vertex range of one part of the head (face, eyeballs, teeth …), both ends included. */
export interface VertexRegion {
  name: string;
  first: number;
  last: number;
}

/**
 * A linear morphable head model: shape = neutral + Σ identity_k·α_k + Σ expression_k·β_k.
 * Positions and texture coordinates are indexed separately, as in the source OBJ (a vertex on a UV
 * seam has several texture coordinates); `uvMesh` splits seams for renderers that want one UV per vertex.
 */
export interface MorphableModel {
  /** Where the model came from (the manifest's `source`). */
  source: string;
  units: string;
  vertexCount: number;
  /** [V·3] neutral positions. */
  neutral: Float32Array;
  /** [T·2] texture coordinates. */
  texcoords: Float32Array;
  /** [F·3] triangle position indices (quads of the source split in two). */
  triangles: Uint32Array;
  /** [F·3] triangle texcoord indices, parallel to `triangles`. */
  uvTriangles: Uint32Array;
  /** Material groups over the triangles (M_Face, M_BackHead, …). */
  groups: TriangleGroup[];
  /** Vertex ranges per part of the head. */
  regions: VertexRegion[];
  identity: ModeSet;
  expression: ModeSet;
  /** 68 landmark vertex ids, multi-PIE (iBUG 300-W) order. */
  landmarks: Uint32Array;
  /** Positions in `landmarks` of the points that barely move with expression (eye corners, nose…). */
  rigidLandmarks: Uint32Array;
}

export function modeCount(model: MorphableModel): number {
  return model.identity.count + model.expression.count;
}

/** Splits identity+expression weights given as one vector [α; β]. */
export function splitWeights(
  model: MorphableModel,
  w: ArrayLike<number>,
): { identity: number[]; expression: number[] } {
  const k = model.identity.count;
  return {
    identity: Array.from({ length: k }, (_, i) => w[i]),
    expression: Array.from({ length: model.expression.count }, (_, i) => w[k + i]),
  };
}

function checkWeights(
  model: MorphableModel,
  identity: ArrayLike<number>,
  expression: ArrayLike<number>,
): void {
  if (identity.length !== model.identity.count || expression.length !== model.expression.count) {
    throw new RangeError(
      `morphable model: got ${identity.length} identity / ${expression.length} expression weights, the model has ${model.identity.count} / ${model.expression.count}`,
    );
  }
}

/** Every vertex of the shape for the given weights (plain TS; the GPU path is kernels' blendshapes). */
export function evaluateShape(
  model: MorphableModel,
  identity: ArrayLike<number>,
  expression: ArrayLike<number>,
): Float32Array {
  checkWeights(model, identity, expression);
  const n = model.vertexCount * 3;
  const acc = Float64Array.from(model.neutral);
  // The modes of non-zero weight in order, identity then expression, added four to a pass over the
  // vertices: acc + w₀·m₀ + w₁·m₁ + … is the chain of one mode at a time, so the bits are the same.
  const weights: number[] = [];
  const modes: Float32Array[] = [];
  const collect = (set: ModeSet, w: ArrayLike<number>) => {
    for (let k = 0; k < set.count; k++) {
      if (w[k] === 0) continue;
      weights.push(w[k]);
      modes.push(set.data.subarray(k * n, (k + 1) * n));
    }
  };
  collect(model.identity, identity);
  collect(model.expression, expression);
  let k = 0;
  for (; k + 3 < modes.length; k += 4) {
    const [w0, w1, w2, w3] = weights.slice(k, k + 4);
    const [m0, m1, m2, m3] = modes.slice(k, k + 4);
    for (let i = 0; i < n; i++) acc[i] = acc[i] + w0 * m0[i] + w1 * m1[i] + w2 * m2[i] + w3 * m3[i];
  }
  for (; k < modes.length; k++) {
    const wk = weights[k];
    const mk = modes[k];
    for (let i = 0; i < n; i++) acc[i] += wk * mk[i];
  }
  return Float32Array.from(acc);
}

/** Positions of a few vertices (e.g. the landmarks) for the given weights, in float64: [ids.length·3]. */
export function evaluateVertices(
  model: MorphableModel,
  ids: ArrayLike<number>,
  identity: ArrayLike<number>,
  expression: ArrayLike<number>,
): Float64Array {
  checkWeights(model, identity, expression);
  const out = new Float64Array(ids.length * 3);
  const n = model.vertexCount * 3;
  for (let j = 0; j < ids.length; j++) {
    const r = ids[j] * 3;
    for (let c = 0; c < 3; c++) {
      let v = model.neutral[r + c];
      for (let k = 0; k < model.identity.count; k++) v += identity[k] * model.identity.data[k * n + r + c];
      for (let k = 0; k < model.expression.count; k++)
        v += expression[k] * model.expression.data[k * n + r + c];
      out[j * 3 + c] = v;
    }
  }
  return out;
}

/**
 * The basis rows of a few vertices as a dense matrix [ids.length·3, K] (K = identity + expression
 * modes, identity first): what the landmark fit's least-squares problem is built from.
 */
export function basisRows(model: MorphableModel, ids: ArrayLike<number>): Float64Array {
  const k = modeCount(model);
  const n = model.vertexCount * 3;
  const out = new Float64Array(ids.length * 3 * k);
  for (let j = 0; j < ids.length; j++) {
    for (let c = 0; c < 3; c++) {
      const row = (j * 3 + c) * k;
      const src = ids[j] * 3 + c;
      for (let m = 0; m < model.identity.count; m++) out[row + m] = model.identity.data[m * n + src];
      for (let m = 0; m < model.expression.count; m++)
        out[row + model.identity.count + m] = model.expression.data[m * n + src];
    }
  }
  return out;
}
