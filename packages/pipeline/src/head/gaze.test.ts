import { describe, expect, it } from 'vitest';
import { rotationAboutAxis, type Mat3 } from '../math/linalg.ts';
import { transformPoints, type Pose } from '../morphable/pose.ts';
import type { HeadGeometry } from './fit.ts';
import { eyeballFrame, gazeRotation, MAX_EYE_TURN_DEGREES, sphereCentre, turnEyeballs } from './gaze.ts';

type Vec3 = [number, number, number];
const deg = Math.PI / 180;

function mul(a: Mat3, b: Mat3): Mat3 {
  const out = new Array(9).fill(0) as number[];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[3 * r + c] += a[3 * r + k] * b[3 * k + c];
  return out as unknown as Mat3;
}
const apply = (m: Mat3, v: Vec3): Vec3 => [
  m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
  m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
  m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
];
const angleBetween = (a: Vec3, b: Vec3) =>
  Math.acos(Math.min(1, (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (Math.hypot(...a) * Math.hypot(...b)))) /
  deg;

/**
 * An ICT-like eyeball: a UV sphere of radius 1.2 cm whose cap within 35° of +z bulges out by up to
 * 0.15 cm (the cornea), turned by `turn` and centred at `centre`; returns positions and unit normals.
 */
function eyeball(centre: Vec3, turn: Mat3, rings = 16, segments = 24) {
  const positions: number[] = [];
  const normals: number[] = [];
  for (let i = 0; i <= rings; i++) {
    const theta = (i / rings) * Math.PI; // from +z
    for (let j = 0; j < (i === 0 || i === rings ? 1 : segments); j++) {
      const phi = (j / segments) * 2 * Math.PI;
      const d: Vec3 = [Math.sin(theta) * Math.cos(phi), Math.sin(theta) * Math.sin(phi), Math.cos(theta)];
      const bulge = theta < 35 * deg ? 0.15 * Math.cos((theta / (35 * deg)) * (Math.PI / 2)) : 0;
      const p = apply(turn, d).map((x) => x * (1.2 + bulge));
      positions.push(centre[0] + p[0], centre[1] + p[1], centre[2] + p[2]);
      normals.push(...apply(turn, d));
    }
  }
  return { positions: Float32Array.from(positions), normals: Float32Array.from(normals) };
}

/** Head turned 20° to its left and 5° down, 12 px per cm, the model's +z towards the camera (−z there). */
const POSE: Pose = {
  rotation: mul(mul(rotationAboutAxis([1, 0, 0], -5 * deg), rotationAboutAxis([0, 1, 0], 20 * deg)), [
    1, 0, 0, 0, -1, 0, 0, 0, -1,
  ] as Mat3),
  scale: 12,
  translation: [320, 240, 500],
};

/** Where a model point lands in the photo under POSE, pixels. */
const projectPoint = (p: Vec3) => Array.from(transformPoints(POSE, p).subarray(0, 2));

describe('sphereCentre', () => {
  it('finds the centre of points on a sphere', () => {
    const pts: Vec3[] = [];
    for (let i = 0; i < 40; i++) {
      const [t, p] = [(i * 0.37) % Math.PI, i * 1.3];
      pts.push([1 + 2 * Math.sin(t) * Math.cos(p), -2 + 2 * Math.sin(t) * Math.sin(p), 5 + 2 * Math.cos(t)]);
    }
    const c = sphereCentre(pts);
    expect(c[0]).toBeCloseTo(1, 9);
    expect(c[1]).toBeCloseTo(-2, 9);
    expect(c[2]).toBeCloseTo(5, 9);
  });

  it('rejects points that span no sphere', () => {
    expect(() => sphereCentre([[0, 0, 0]])).toThrow(/do not span a sphere/);
  });
});

describe('eyeballFrame', () => {
  it('finds the centre past the cornea and the apex of a turned eyeball', () => {
    const turn = mul(rotationAboutAxis([0, 1, 0], 12 * deg), rotationAboutAxis([1, 0, 0], -6 * deg));
    const { positions } = eyeball([3.2, 3.6, 8], turn);
    const frame = eyeballFrame(
      positions,
      Uint32Array.from({ length: positions.length / 3 }, (_, i) => i),
    );
    // The sphere part is exact, so only f32 positions limit the centre.
    for (const [k, want] of [3.2, 3.6, 8].entries()) expect(frame.centre[k]).toBeCloseTo(want, 4);
    // The apex is the bulge's tip: 1.35 cm from the centre along the turned +z.
    const axis = apply(turn, [0, 0, 1]);
    expect(angleBetween([frame.apex[0] - 3.2, frame.apex[1] - 3.6, frame.apex[2] - 8], axis)).toBeLessThan(
      1e-3,
    );
  });

  it('names a region too small to be an eyeball', () => {
    expect(() => eyeballFrame(new Float32Array(9), Uint32Array.of(0, 1, 2))).toThrow(
      /3 vertices are not an eyeball/,
    );
  });
});

describe('gazeRotation', () => {
  const centre: Vec3 = [3.2, 3.6, 8];
  const apex: Vec3 = [3.2, 3.6, 9.35];

  it('recovers a known eye turn from the iris centre it projects to', () => {
    for (const [yaw, pitch] of [
      [15, 8],
      [-25, -10],
      [0, 20],
      [30, 0],
    ]) {
      const truth = mul(rotationAboutAxis([0, 1, 0], yaw * deg), rotationAboutAxis([1, 0, 0], -pitch * deg));
      const rest: Vec3 = [apex[0] - centre[0], apex[1] - centre[1], apex[2] - centre[2]];
      const t = apply(truth, rest);
      const iris = projectPoint([centre[0] + t[0], centre[1] + t[1], centre[2] + t[2]]);
      const got = gazeRotation(POSE, { centre, apex }, iris);
      // The twist about the line of sight is not seen in a photo: compare where the apex points. acos
      // near 1 resolves angles no finer than √(2·2⁻⁵²) rad ≈ 1.2e-6°, hence 1e-5°.
      expect(angleBetween(apply(got.rotation, rest), t), `${yaw}°, ${pitch}°`).toBeLessThan(1e-5);
      expect(got.limited).toBe(false);
      const p = apply(got.rotation, rest);
      const back = projectPoint([centre[0] + p[0], centre[1] + p[1], centre[2] + p[2]]);
      expect(Math.hypot(back[0] - iris[0], back[1] - iris[1])).toBeLessThan(1e-9);
    }
  });

  it('is off by under 2.5° for an iris centre 0.5 px off (radius 16 px)', () => {
    const truth = rotationAboutAxis([0, 1, 0], 15 * deg);
    const rest: Vec3 = [0, 0, 1.35];
    const t = apply(truth, rest);
    const iris = projectPoint([centre[0] + t[0], centre[1] + t[1], centre[2] + t[2]]);
    let worst = 0;
    for (let k = 0; k < 8; k++) {
      const off = [iris[0] + 0.5 * Math.cos(k * 45 * deg), iris[1] + 0.5 * Math.sin(k * 45 * deg)];
      const got = gazeRotation(POSE, { centre, apex }, off);
      worst = Math.max(worst, angleBetween(apply(got.rotation, rest), t));
    }
    // 0.5 px over the apex's 16.2 px lever is ~1.8° near the line of sight, more as it turns away.
    expect(worst).toBeGreaterThan(1);
    expect(worst).toBeLessThan(2.5);
  });

  it('stops at the limit for an iris beyond the eyeball', () => {
    const c = projectPoint(centre);
    const got = gazeRotation(POSE, { centre, apex }, [c[0] + 200, c[1]]);
    expect(got.limited).toBe(true);
    expect(got.degrees).toBeCloseTo(MAX_EYE_TURN_DEGREES, 9);
  });
});

/**
 * A head of two eyeballs looking along +z and one skin vertex at (0, 0, 10), placed in the photo by
 * `toPhoto` (model point → photo frame) with camera-frame normals R·n.
 */
function twoEyeHead(toPhoto: (p: Vec3) => Vec3) {
  const left = eyeball([3.2, 3.6, 8], rotationAboutAxis([0, 1, 0], 0));
  const right = eyeball([-3.2, 3.6, 8], rotationAboutAxis([0, 1, 0], 0));
  const n = left.positions.length / 3;
  const positions = Float32Array.from([...left.positions, ...right.positions, 0, 0, 10]);
  const normals = Float32Array.from([...left.normals, ...right.normals, 0, 0, 1]);
  const triangles: number[] = [];
  const regionOfTriangle: number[] = [];
  for (const [offset, region] of [
    [0, 1],
    [n, 2],
  ])
    for (let i = 0; i + 2 < n; i++) {
      triangles.push(offset + i, offset + i + 1, offset + i + 2);
      regionOfTriangle.push(region);
    }
  triangles.push(2 * n, 2 * n, 2 * n);
  regionOfTriangle.push(0);
  const perVertex = (p: Float32Array, f: (v: Vec3) => Vec3) =>
    Float32Array.from(
      Array.from({ length: p.length / 3 }, (_, v) => f([p[3 * v], p[3 * v + 1], p[3 * v + 2]])).flat(),
    );
  const head = {
    camera: { ...POSE, width: 640, height: 480 },
    mesh: { positions, uvs: new Float32Array(2 * (2 * n + 1)), triangles: Uint32Array.from(triangles) },
    topology: {
      regionNames: ['face', 'eyeball_left', 'eyeball_right'],
      regionOfTriangle: Uint8Array.from(regionOfTriangle),
    },
    normals,
    cameraPositions: perVertex(positions, toPhoto),
    cameraNormals: perVertex(normals, (v) => apply(POSE.rotation, v)),
  } as unknown as HeadGeometry;
  return { head, n, positions, perVertex };
}

const weakPhoto = (p: Vec3): Vec3 =>
  apply(POSE.rotation, p).map((x, i) => POSE.scale * x + POSE.translation[i]) as Vec3;

describe('turnEyeballs', () => {
  it('turns each eyeball towards the iris nearest it and leaves the rest of the head', () => {
    const { head, n, positions, perVertex } = twoEyeHead(weakPhoto);
    // Irises 3 px right and 2 px up of where each apex projects today, listed right eye first.
    const apexOf = (x: number) => projectPoint([x, 3.6, 9.35]);
    const irises = [-3.2, 3.2].map((x) => ({ centre: [apexOf(x)[0] + 3, apexOf(x)[1] - 2] }));
    const { head: turned, turns } = turnEyeballs(head, irises);
    expect(turns.map((t) => t.region)).toEqual(['eyeball_left', 'eyeball_right']);
    for (const t of turns) {
      expect(t.beforePx).toBeCloseTo(Math.hypot(3, 2), 4);
      expect(t.afterPx).toBeLessThan(1e-3);
      expect(t.degrees).toBeGreaterThan(5);
    }
    // The other vertex stays; the eyeball vertices stay on their spheres; camera data follow the model.
    expect(Array.from(turned.mesh.positions.subarray(6 * n))).toEqual([0, 0, 10]);
    const r = Math.hypot(
      turned.mesh.positions[3] - 3.2,
      turned.mesh.positions[4] - 3.6,
      turned.mesh.positions[5] - 8,
    );
    expect(r).toBeCloseTo(Math.hypot(positions[3] - 3.2, positions[4] - 3.6, positions[5] - 8), 5);
    const want = perVertex(turned.mesh.positions, weakPhoto);
    for (let i = 0; i < want.length; i++) expect(turned.cameraPositions[i]).toBeCloseTo(want[i], 3);
    // The input is not changed.
    expect(head.mesh.positions).toBe(positions);
    expect(positions[2]).toBeCloseTo(8 + 1.35, 5);
  });
});
