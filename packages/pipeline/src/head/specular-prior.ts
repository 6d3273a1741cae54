import { canonicalFace } from '../mesh/face-mesh.ts';
import { faceMeshTo68 } from '../morphable/facemesh68.ts';
import type { MorphableModel } from '../morphable/model.ts';
import { fitSimilarity } from '../fit/similarity.ts';
import { transformPoints } from '../morphable/pose.ts';
import type { SpecularBlob } from '../reflectance/analytic.ts';
import { specularPriorForCanonicalFace } from '../reflectance/specular-prior.ts';
import { HEAD_ATLAS } from './atlas.ts';
import { prepareHead } from './prepare.ts';

/**
 * The analytic backend's specular prior (reflectance/specular-prior.ts: bumps at FaceMesh landmarks)
 * carried onto the head atlas: the canonical FaceMesh face is aligned to the ICT neutral head by the
 * similarity between their 68 landmarks, each bump moves to the atlas UV of the face vertex nearest to
 * its landmark, and radii scale by the ratio of the inter-ocular distances in the two UV layouts.
 */
export function specularPriorForHead(model: MorphableModel): SpecularBlob[] {
  const canonical = canonicalFace();
  // Each point set together with its mirror image (x → −x; both models are symmetric about x = 0): the
  // alignment then has no yaw or roll, so left and right bumps land symmetric on the atlas.
  const toIct = fitSimilarity(
    withMirror(faceMeshTo68(canonical.positions, 3)),
    withMirror(landmarkPositions(model)),
  );
  const { topology } = prepareHead(model);
  const face = HEAD_ATLAS.M_Face;
  const faceVertices: number[] = [];
  for (let v = 0; v < topology.sourceVertex.length; v++) {
    if (topology.uvs[2 * v] < face.x + face.size && topology.uvs[2 * v + 1] < face.y + face.size)
      faceVertices.push(v);
  }
  const nearestFaceVertex = (p: ArrayLike<number>) => {
    let best = faceVertices[0];
    let bestD = Infinity;
    for (const v of faceVertices) {
      const s = 3 * topology.sourceVertex[v];
      const d =
        (model.neutral[s] - p[0]) ** 2 +
        (model.neutral[s + 1] - p[1]) ** 2 +
        (model.neutral[s + 2] - p[2]) ** 2;
      if (d < bestD) [best, bestD] = [v, d];
    }
    return best;
  };
  const atlasUv = (v: number) => [topology.uvs[2 * v], topology.uvs[2 * v + 1]];
  // Outer eye corners: FaceMesh 33 and 263, multi-PIE 36 and 45.
  const uvDistance = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  const canonicalUv = (i: number) => [canonical.uvs[2 * i], canonical.uvs[2 * i + 1]];
  const ictEye = [36, 45].map((i) =>
    atlasUv(nearestFaceVertex(model.neutral.subarray(3 * model.landmarks[i], 3 * model.landmarks[i] + 3))),
  );
  const scale = uvDistance(ictEye[0], ictEye[1]) / uvDistance(canonicalUv(33), canonicalUv(263));
  return specularPriorForCanonicalFace().map((blob) => {
    const k = nearestByUv(canonical.uvs, blob.u, blob.v);
    const p = transformPoints(toIct, canonical.positions.subarray(3 * k, 3 * k + 3));
    const [u, v] = atlasUv(nearestFaceVertex(p));
    return { ...blob, u, v, radius: blob.radius * scale };
  });
}

function landmarkPositions(model: MorphableModel): Float64Array {
  const out = new Float64Array(model.landmarks.length * 3);
  model.landmarks.forEach((v, i) => out.set(model.neutral.subarray(3 * v, 3 * v + 3), 3 * i));
  return out;
}

function withMirror(points: Float64Array): Float64Array {
  const out = new Float64Array(points.length * 2);
  out.set(points);
  for (let i = 0; i < points.length; i += 3)
    out.set([-points[i], points[i + 1], points[i + 2]], points.length + i);
  return out;
}

function nearestByUv(uvs: Float32Array, u: number, v: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < uvs.length / 2; i++) {
    const d = (uvs[2 * i] - u) ** 2 + (uvs[2 * i + 1] - v) ** 2;
    if (d < bestD) [best, bestD] = [i, d];
  }
  return best;
}
