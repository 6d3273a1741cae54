import type { LandmarkFit } from './fit.ts';
import { evaluateShape, type MorphableModel } from './model.ts';
import { transformPoints, type Pose, type ScaledOrthographicCamera } from './pose.ts';
import { gatherPositions, uvMesh, type UvMesh } from './uv-mesh.ts';

/**
 * The fitted head as the unwrap and render stages take it: one UV per vertex (seams split),
 * positions in model space (the model's units), and the pose and camera that put them in the photo:
 * [u, v, depth] = pose.scale · pose.rotation · vertex + pose.translation, u and v in pixels.
 */
export interface FittedMesh {
  /** [N·3] */
  vertices: Float32Array;
  /** [F·3] */
  triangles: Uint32Array;
  /** [N·2] */
  uvs: Float32Array;
  pose: Pose;
  camera: ScaledOrthographicCamera;
  /** Model vertex of each split vertex [N] (to carry per-vertex data such as regions across). */
  sourceVertex: Uint32Array;
  identity: Float64Array;
  expression: Float64Array;
}

const uvMeshes = new WeakMap<MorphableModel, UvMesh>();

/**
 * Builds the mesh of a fit. `regions` keeps only triangles whose three vertices lie in those vertex
 * regions (e.g. ['face', 'head_and_neck'] drops eyeballs, teeth and lashes for unwrapping); `shape`
 * passes vertices already evaluated elsewhere (the GPU blendshapes kernel) instead of evaluating here.
 */
export function fittedMesh(
  model: MorphableModel,
  fit: Pick<LandmarkFit, 'identity' | 'expression' | 'pose'>,
  camera: ScaledOrthographicCamera,
  options: { regions?: string[]; shape?: Float32Array } = {},
): FittedMesh {
  let mesh = uvMeshes.get(model);
  if (!mesh) {
    mesh = uvMesh(model);
    uvMeshes.set(model, mesh);
  }
  const shape = options.shape ?? evaluateShape(model, fit.identity, fit.expression);
  if (shape.length !== model.vertexCount * 3) {
    throw new RangeError(
      `fittedMesh: shape has ${shape.length / 3} vertices, the model ${model.vertexCount}`,
    );
  }
  let triangles = mesh.triangles;
  if (options.regions) {
    const keep = new Uint8Array(model.vertexCount);
    for (const name of options.regions) {
      const r = model.regions.find((x) => x.name === name);
      if (!r)
        throw new RangeError(
          `fittedMesh: no region "${name}" (model has ${model.regions.map((x) => x.name).join(', ')})`,
        );
      keep.fill(1, r.first, r.last + 1);
    }
    const kept: number[] = [];
    for (let t = 0; t < triangles.length; t += 3) {
      const [a, b, c] = [triangles[t], triangles[t + 1], triangles[t + 2]];
      if (keep[mesh.sourceVertex[a]] && keep[mesh.sourceVertex[b]] && keep[mesh.sourceVertex[c]])
        kept.push(a, b, c);
    }
    triangles = Uint32Array.from(kept);
  }
  return {
    vertices: gatherPositions(shape, mesh.sourceVertex),
    triangles,
    uvs: mesh.uvs,
    pose: fit.pose,
    camera,
    sourceVertex: mesh.sourceVertex,
    identity: Float64Array.from(fit.identity),
    expression: Float64Array.from(fit.expression),
  };
}

/** The mesh's vertices in image space [N·3]: u, v in pixels, depth away from the camera. */
export function imageSpaceVertices(mesh: Pick<FittedMesh, 'vertices' | 'pose'>): Float32Array {
  return Float32Array.from(transformPoints(mesh.pose, mesh.vertices));
}
