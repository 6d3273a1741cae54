import { CANONICAL_POSITIONS, CANONICAL_TRIANGLES, CANONICAL_UVS } from './canonical-data.ts';

export const FACE_VERTEX_COUNT = 468;

/** A triangle mesh with one UV per vertex (the canonical face has no UV seams). */
export interface FaceMesh {
  /** [V·3] xyz. */
  positions: Float32Array;
  /** [V·2] uv, v down. */
  uvs: Float32Array;
  /** [T·3] vertex indices. */
  triangles: Uint32Array;
}

export function vertexCount(mesh: Pick<FaceMesh, 'positions'>): number {
  return mesh.positions.length / 3;
}

/** A fresh copy of the canonical MediaPipe face (see canonical-data.ts for units, axes and licences). */
export function canonicalFace(): FaceMesh {
  return {
    positions: CANONICAL_POSITIONS.slice(),
    uvs: CANONICAL_UVS.slice(),
    triangles: CANONICAL_TRIANGLES.slice(),
  };
}

/**
 * For each vertex, its mirror image across the face's symmetry plane x = 0: the vertex whose position
 * is nearest to (−x, y, z). On the canonical face every pair is exact (and the 28 midline vertices map
 * to themselves).
 */
export function mirrorVertexMap(positions: Float32Array): Uint32Array {
  const n = positions.length / 3;
  const map = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const [x, y, z] = [-positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]];
    let best = i;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      const d =
        (positions[3 * j] - x) ** 2 + (positions[3 * j + 1] - y) ** 2 + (positions[3 * j + 2] - z) ** 2;
      if (d < bestD) [best, bestD] = [j, d];
    }
    map[i] = best;
  }
  return map;
}

// Landmark rings around the eyes, eyebrows and lips (MediaPipe's annotation lists, as shipped in
// @vladmandic/human's facemeshcoords.ts, MIT): texels of triangles touching them are not skin.
const EYES = [
  246, 161, 160, 159, 158, 157, 173, 33, 7, 163, 144, 145, 153, 154, 155, 133, 247, 30, 29, 27, 28, 56, 190,
  130, 25, 110, 24, 23, 22, 26, 112, 243, 466, 388, 387, 386, 385, 384, 398, 263, 249, 390, 373, 374, 380,
  381, 382, 362, 467, 260, 259, 257, 258, 286, 414, 359, 255, 339, 254, 253, 252, 256, 341, 463,
];
const BROWS = [
  156, 70, 63, 105, 66, 107, 55, 193, 35, 124, 46, 53, 52, 65, 383, 300, 293, 334, 296, 336, 285, 417, 265,
  353, 276, 283, 282, 295,
];
const LIPS = [
  185, 40, 39, 37, 0, 267, 269, 270, 409, 61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 191, 80, 81, 82,
  13, 312, 311, 310, 415, 78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 76, 77, 90, 180, 85, 16, 315, 404,
  320, 307, 306, 184, 74, 73, 72, 11, 302, 303, 304, 408, 62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292,
  183, 42, 41, 38, 12, 268, 271, 272, 407,
];

/** Canonical vertices on the eye, eyebrow and lip rings. */
export const NON_SKIN_VERTICES: ReadonlySet<number> = new Set([...EYES, ...BROWS, ...LIPS]);

/** 1 for triangles that are skin (touch no eye, brow or lip ring vertex), 0 otherwise. */
export function skinTriangles(
  triangles: Uint32Array,
  nonSkin: ReadonlySet<number> = NON_SKIN_VERTICES,
): Uint8Array {
  const out = new Uint8Array(triangles.length / 3);
  for (let t = 0; t < out.length; t++) {
    const touches = [0, 1, 2].some((k) => nonSkin.has(triangles[3 * t + k]));
    out[t] = touches ? 0 : 1;
  }
  return out;
}
