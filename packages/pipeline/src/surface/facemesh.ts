import { fitFace, type FaceFit, type FaceFitOptions } from '../fit/face-fit.ts';
import { canonicalFace, mirrorVertexMap, skinTriangles } from '../mesh/face-mesh.ts';
import { specularPriorForCanonicalFace } from '../reflectance/specular-prior.ts';
import type { PosedSurface, SurfaceModel } from './surface.ts';

let canonicalMirror: Uint32Array | undefined;

/**
 * Each fine vertex's mirror UV. The fine UVs are linear in the coarse ones (the subdivision keeps the
 * coarse vertices' indices and adds midpoints), so mirroring the coarse UVs and subdividing them is exact.
 */
function mirrorUvs(fit: FaceFit): Float32Array {
  canonicalMirror ??= mirrorVertexMap(canonicalFace().positions);
  const map = canonicalMirror;
  const coarseMirror = new Float32Array(map.length * 2);
  for (let i = 0; i < map.length; i++)
    coarseMirror.set(fit.mesh.uvs.subarray(2 * map[i], 2 * map[i] + 2), 2 * i);
  return fit.subdivision.apply(coarseMirror, 2, 'linear');
}

/** Skin flags of the fine triangles: subdivision splits coarse triangle t into 4t … 4t + 3, level after level. */
function fineSkinTriangles(fit: FaceFit): Uint8Array {
  const coarse = skinTriangles(canonicalFace().triangles);
  const perCoarse = 4 ** fit.subdivision.levels.length;
  return Uint8Array.from(
    { length: fit.mesh.triangles.length / 3 },
    (_, t) => coarse[Math.floor(t / perCoarse)],
  );
}

/** The FaceMesh fit as a PosedSurface: one region, completed by mirror and push-pull only. */
export function faceMeshSurface(fit: FaceFit): PosedSurface {
  const triangles = fit.mesh.triangles.length / 3;
  // FaceMesh has no separate core: its skin (all but eyes, brows and lips) is both reference and candidate.
  const skin = fineSkinTriangles(fit);
  return {
    description: 'FaceMesh canonical face, subdivided',
    camera: fit.camera,
    angles: fit.angles,
    mesh: fit.mesh,
    normals: fit.normals,
    cameraPositions: fit.cameraPositions,
    cameraNormals: fit.cameraNormals,
    mirrorUvs: mirrorUvs(fit),
    skinOfTriangle: skin,
    occludableOfTriangle: skin,
    regionOfTriangle: new Uint8Array(triangles).fill(1),
    regions: [{ name: 'face', band: Infinity, grain: true }],
    cleanTaps: false,
    exportMesh: {
      positions: fit.mesh.positions,
      normals: fit.normals,
      uvs: fit.mesh.uvs,
      triangles: fit.mesh.triangles,
      metresPerUnit: 0.01,
    },
    specularPrior: specularPriorForCanonicalFace(),
    reprojection: fit.reprojection,
    report: { rigidResidualPx: fit.rigidResidual },
  };
}

/**
 * FaceMesh's own 468 points as the shape (the light fallback: a face mask, no head): camera and pose
 * by similarity, the landmarks taken back into the canonical frame, Loop-subdivided.
 */
export function faceMeshSurfaceModel(options: FaceFitOptions = {}): SurfaceModel {
  return {
    name: 'facemesh',
    fit: async (_ctx, landmarks, image) => faceMeshSurface(fitFace(landmarks, image, options)),
  };
}
