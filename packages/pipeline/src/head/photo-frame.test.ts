import { describe, expect, it } from 'vitest';
import { mat3Mul, rotationFromAxisAngle } from '../math/linalg.ts';
import type { Vec3 } from '../math/vec3.ts';
import { transformPoints, type Pose } from '../morphable/pose.ts';
import { pixelRay } from './photo-frame.ts';

const rotation = mat3Mul(rotationFromAxisAngle([0.1, 0.35, -0.05]), [1, 0, 0, 0, -1, 0, 0, 0, -1]);
const weak: Pose = { rotation, scale: 12, translation: [320, 240, 500] };
const at = (o: Vec3, d: Vec3, s: number): Vec3 => [o[0] + s * d[0], o[1] + s * d[1], o[2] + s * d[2]];

describe('photo pixel rays under the weak pose', () => {
  it('projects through the weak pose: scale · R · p + translation', () => {
    const p: Vec3 = [2, -3, 7];
    // The camera frame by hand: R·p + t.
    const c = [0, 1, 2].map(
      (k) => rotation[3 * k] * p[0] + rotation[3 * k + 1] * p[1] + rotation[3 * k + 2] * p[2],
    );
    const w = transformPoints(weak, p);
    [12 * c[0] + 320, 12 * c[1] + 240, 12 * c[2] + 500].forEach((want, k) =>
      expect(w[k]).toBeCloseTo(want, 10),
    );
  });

  it('casts rays that project back onto their pixel and run away from the camera', () => {
    const pixel = [287.5, 301.25];
    const { origin, direction } = pixelRay(weak, pixel);
    expect(Math.hypot(...direction)).toBeCloseTo(1, 12);
    const depths: number[] = [];
    for (const s of [1, 5, 13, 40]) {
      const q = transformPoints(weak, at(origin, direction, s));
      expect(q[0]).toBeCloseTo(pixel[0], 8);
      expect(q[1]).toBeCloseTo(pixel[1], 8);
      depths.push(q[2]);
    }
    expect(depths).toEqual([...depths].sort((a, b) => a - b));
  });
});
