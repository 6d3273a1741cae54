import { NormalEquations, mat3Apply, rotationAboutAxis, type Mat3 } from '../math/linalg.ts';
import { cross, dot, normalize, sub, vertexAt, type Vec3 } from '../math/vec3.ts';
import type { HeadGeometry } from './fit.ts';
import { transformPoints, type Pose } from '../morphable/pose.ts';
import { pixelRay } from './photo-frame.ts';

/** An eyeball of the head mesh: its split vertices, the centre of its sphere and its cornea's apex (model space). */
export interface EyeballFrame {
  vertices: Uint32Array;
  centre: [number, number, number];
  apex: [number, number, number];
}

/** An eyeball turned so its iris meets the photo's. */
export interface EyeTurn {
  /** Model region of the eyeball ('eyeball_left' …). */
  region: string;
  /** Turn about the eyeball's centre, degrees. */
  degrees: number;
  /** The turn stopped at the limit (the photo's iris lies further than an eye turns). */
  limited: boolean;
  /** Distance from the apex's projection to the photo's iris centre, pixels, before and after. */
  beforePx: number;
  afterPx: number;
}

/** Furthest an eye turns from where the fitted head points it (human eyes reach ~45° at most). */
export const MAX_EYE_TURN_DEGREES = 35;
/** Vertices this far from the apex direction (degrees) are on the sphere, clear of the cornea's bulge. */
const SPHERE_CLEAR_OF_CORNEA = 70;

/**
 * Least-squares sphere through points: |p|² = 2 c·p + (r² − |c|²) is linear in c and the constant.
 * Returns the centre.
 */
export function sphereCentre(points: readonly Vec3[]): Vec3 {
  // Rows [2x, 2y, 2z, 1] = |p|² in the unknowns (cx, cy, cz, k); their normal matrix is positive
  // definite exactly when the points are not all on one plane or circle.
  const equations = new NormalEquations(4);
  for (const p of points) equations.add([2 * p[0], 2 * p[1], 2 * p[2], 1], [dot(p, p)]);
  let x: Float64Array;
  try {
    [x] = equations.solve();
  } catch {
    throw new RangeError(`sphereCentre: the ${points.length} points do not span a sphere`);
  }
  return [x[0], x[1], x[2]];
}

/**
 * The centre and cornea apex of an eyeball mesh looking roughly along `forward`: a first apex is the
 * vertex furthest along it from the bounding box's centre; the centre is the sphere through the
 * vertices more than 70° from that direction (the cornea bulges out of the eyeball's sphere, so its
 * vertices would pull a fit forwards); the apex lies on the bulge's axis at its furthest vertex's
 * distance from the centre, which holds for an eyeball the fit has turned.
 */
export function eyeballFrame(
  positions: ArrayLike<number>,
  vertices: Uint32Array,
  forward: Vec3 = [0, 0, 1],
): EyeballFrame {
  if (vertices.length < 8)
    throw new RangeError(`eyeballFrame: ${vertices.length} vertices are not an eyeball`);
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const v of vertices)
    for (let k = 0; k < 3; k++) {
      lo[k] = Math.min(lo[k], positions[3 * v + k]);
      hi[k] = Math.max(hi[k], positions[3 * v + k]);
    }
  const box: Vec3 = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
  const furthest = (score: (p: Vec3) => number) =>
    vertexAt(
      positions,
      Array.from(vertices).reduce((a, b) =>
        score(vertexAt(positions, b)) > score(vertexAt(positions, a)) ? b : a,
      ),
    );
  const axis = normalize(
    sub(
      furthest((p) => dot(sub(p, box), forward)),
      box,
    ),
  );
  const cosClear = Math.cos((SPHERE_CLEAR_OF_CORNEA * Math.PI) / 180);
  const back = Array.from(vertices, (v) => vertexAt(positions, v)).filter(
    (p) => dot(normalize(sub(p, box)), axis) < cosClear,
  );
  const centre = sphereCentre(back);
  // The bulge's axis: the mean direction of the vertices in its outer half, weighted by how far they
  // stand out of the sphere (the single furthest vertex sits a mesh step off the axis).
  const dist = (p: Vec3) => Math.hypot(...sub(p, centre));
  const sphere = back.reduce((s, p) => s + dist(p), 0) / back.length;
  const tip = dist(furthest(dist));
  const sum: Vec3 = [0, 0, 0];
  for (const v of vertices) {
    const d = sub(vertexAt(positions, v), centre);
    const out = Math.hypot(...d) - sphere;
    if (out <= 0.5 * (tip - sphere)) continue;
    for (let k = 0; k < 3; k++) sum[k] += d[k] * out;
  }
  const dir = normalize(sum);
  const apex: Vec3 = [centre[0] + dir[0] * tip, centre[1] + dir[1] * tip, centre[2] + dir[2] * tip];
  return { vertices, centre, apex };
}

const apply = (m: ArrayLike<number>, v: ArrayLike<number>): Vec3 => mat3Apply(m, v[0], v[1], v[2]);

/**
 * The model-space rotation about the eyeball's centre that brings its apex onto the camera ray through
 * the photo's iris centre (pixels): the apex must sit on the eyeball's sphere (radius |apex − centre|)
 * where that ray first meets it, on the side facing the camera; the turn is the shortest one from
 * today's apex direction there, stopped at maxDegrees. Exact under the weak pose `camera`.
 */
export function gazeRotation(
  camera: Pose,
  frame: Pick<EyeballFrame, 'centre' | 'apex'>,
  iris: readonly number[],
  maxDegrees = MAX_EYE_TURN_DEGREES,
): { rotation: Mat3; degrees: number; limited: boolean } {
  const rest = sub(frame.apex, frame.centre);
  const radius = Math.hypot(rest[0], rest[1], rest[2]);
  const ray = pixelRay(camera, iris);
  // The ray's closest approach to the centre, as an offset from it (perpendicular to the ray). A ray
  // that passes beyond the eyeball's outline (a fit that put the eye off the photo's) is taken at the
  // outline's edge, the furthest the apex can turn to.
  const along = dot(sub(frame.centre, ray.origin), ray.direction);
  let lateral = sub(
    [
      ray.origin[0] + along * ray.direction[0],
      ray.origin[1] + along * ray.direction[1],
      ray.origin[2] + along * ray.direction[2],
    ],
    frame.centre,
  );
  const rho = Math.hypot(lateral[0], lateral[1], lateral[2]);
  const reach = 0.999 * radius;
  if (rho > reach)
    lateral = [(lateral[0] * reach) / rho, (lateral[1] * reach) / rho, (lateral[2] * reach) / rho];
  // The nearer of the ray's two points on the sphere: back along the ray by half the chord.
  const halfChord = Math.sqrt(Math.max(radius * radius - dot(lateral, lateral), 0));
  const want = normalize([
    lateral[0] - halfChord * ray.direction[0],
    lateral[1] - halfChord * ray.direction[1],
    lateral[2] - halfChord * ray.direction[2],
  ]);
  const from = normalize(rest);
  const angle = Math.acos(Math.min(1, Math.max(-1, dot(from, want))));
  const limit = (maxDegrees * Math.PI) / 180;
  let axis = cross(from, want);
  const len = Math.hypot(axis[0], axis[1], axis[2]);
  if (len < 1e-12) return { rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], degrees: 0, limited: false };
  axis = [axis[0] / len, axis[1] / len, axis[2] / len];
  const turned = Math.min(angle, limit);
  return {
    rotation: rotationAboutAxis(axis, turned),
    degrees: (turned * 180) / Math.PI,
    limited: angle > limit,
  };
}

/** The split vertices of the triangles in one model region. */
export function regionVertices(head: Pick<HeadGeometry, 'topology' | 'mesh'>, region: string): Uint32Array {
  const id = head.topology.regionNames.indexOf(region);
  const set = new Set<number>();
  head.topology.regionOfTriangle.forEach((r, t) => {
    if (r === id) for (let k = 0; k < 3; k++) set.add(head.mesh.triangles[3 * t + k]);
  });
  return Uint32Array.from(set).sort();
}

export const EYEBALL_REGIONS = ['eyeball_left', 'eyeball_right'] as const;

/**
 * The head with each eyeball turned about its centre so its cornea's apex projects onto the centre
 * of the photo's iris (face/iris.ts) nearest it: the eyes look where the photo's do, and the iris the
 * unwrap paints from the photo sits on the cornea. The eyeballs are aimed and placed in the photo as the
 * rest of the head is (by its weak pose). Irises
 * are matched to eyeballs by the distance of the eyeball centres' projections, each used once; an
 * eyeball without one is left as it is.
 */
export function turnEyeballs(
  head: HeadGeometry,
  irises: readonly { centre: readonly number[] }[],
): { head: HeadGeometry; turns: EyeTurn[] } {
  const rotation = head.camera.rotation;
  const positions = Float32Array.from(head.mesh.positions);
  const normals = Float32Array.from(head.normals);
  const cameraPositions = Float32Array.from(head.cameraPositions);
  const cameraNormals = Float32Array.from(head.cameraNormals);
  const turns: EyeTurn[] = [];
  const eyes = EYEBALL_REGIONS.map((region) => ({ region, vertices: regionVertices(head, region) })).filter(
    (e) => e.vertices.length >= 8,
  );
  const frames = eyes.map((e) => eyeballFrame(head.mesh.positions, e.vertices));
  const used = new Set<number>();
  eyes.forEach((eye, k) => {
    const frame = frames[k];
    const c = transformPoints(head.camera, frame.centre);
    let best = -1;
    for (let i = 0; i < irises.length; i++) {
      if (used.has(i)) continue;
      const d = Math.hypot(irises[i].centre[0] - c[0], irises[i].centre[1] - c[1]);
      if (best < 0 || d < Math.hypot(irises[best].centre[0] - c[0], irises[best].centre[1] - c[1])) best = i;
    }
    if (best < 0) return;
    used.add(best);
    const iris = irises[best].centre;
    const rest = sub(frame.apex, frame.centre);
    const turnedApex = (turn: Mat3): Vec3 => {
      const a = apply(turn, rest);
      return [frame.centre[0] + a[0], frame.centre[1] + a[1], frame.centre[2] + a[2]];
    };
    const miss = (apex: Vec3): [number, number] => {
      const p = transformPoints(head.camera, apex);
      return [iris[0] - p[0], iris[1] - p[1]];
    };
    const turn = gazeRotation(head.camera, frame, iris);
    for (const v of eye.vertices) {
      const p = apply(turn.rotation, sub(vertexAt(positions, v), frame.centre));
      const n = apply(turn.rotation, vertexAt(normals, v));
      for (let i = 0; i < 3; i++) {
        positions[3 * v + i] = frame.centre[i] + p[i];
        normals[3 * v + i] = n[i];
      }
      cameraPositions.set(transformPoints(head.camera, vertexAt(positions, v)), 3 * v);
      cameraNormals.set(apply(rotation, n), 3 * v);
    }
    turns.push({
      region: eye.region,
      degrees: turn.degrees,
      limited: turn.limited,
      beforePx: Math.hypot(...miss(frame.apex)),
      afterPx: Math.hypot(...miss(turnedApex(turn.rotation))),
    });
  });
  return {
    head: { ...head, mesh: { ...head.mesh, positions }, normals, cameraPositions, cameraNormals },
    turns,
  };
}
