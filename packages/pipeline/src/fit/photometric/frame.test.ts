import { describe, expect, it } from 'vitest';
import { mat3Mul, rotationFromAxisAngle } from '../../math/linalg.ts';
import { vertexNormals } from '../../mesh/normals.ts';
import { transformPoints, type Pose } from '../../morphable/pose.ts';
import type { PerspectiveCamera } from '../../head/photo-frame.ts';
import { perspectiveFrame } from './head.ts';
import { blendShape } from './optimise.ts';
import { syntheticAbsModel } from './synthetic.ts';

const model = syntheticAbsModel();
const shape = blendShape(model, [0.8, -0.5, 0.6]);
const rotation = mat3Mul(rotationFromAxisAngle([0.1, 0.6, 0.05]), [1, 0, 0, 0, -1, 0, 0, 0, -1]);
const centre: [number, number] = [64, 64];

function perspective(depth: number, focal: number): PerspectiveCamera {
  return { rotation, translation: [0.3, -0.2, depth], focal, centre };
}

describe('perspectiveFrame (the photometric fit’s head in the photo’s frame)', () => {
  it('is the weak pose when the camera is far away', () => {
    // 10⁵ units away with focal 10⁶ px: scale 10 px per unit, perspective foreshortening ~1e-4.
    const p = perspective(1e5, 1e6);
    const weak: Pose = { rotation, scale: 10, translation: [centre[0] + 3, centre[1] - 2, 7] };
    const got = perspectiveFrame(model, shape, { camera: weak, perspective: p });
    const want = transformPoints(weak, shape);
    // ~5 units of half-width × 10 px × 1e-4 relative foreshortening: well under 0.05 px.
    for (let i = 0; i < want.length; i++)
      expect(Math.abs(got.cameraPositions[i] - want[i])).toBeLessThan(0.05);
    const n = vertexNormals(shape, model.modelTriangles);
    for (let v = 0; v < n.length / 3; v++) {
      const rn = [0, 1, 2].map(
        (k) =>
          rotation[3 * k] * n[3 * v] +
          rotation[3 * k + 1] * n[3 * v + 1] +
          rotation[3 * k + 2] * n[3 * v + 2],
      );
      for (let k = 0; k < 3; k++) expect(Math.abs(got.cameraNormals[3 * v + k] - rn[k])).toBeLessThan(1e-3);
    }
  });

  it('keeps a near camera’s front faces facing it: screen winding agrees with the true view ray', () => {
    // 20 units away (the ellipsoid is ~10 across): strong perspective, as at a 28° field of view.
    const p = perspective(20, 200);
    const weak: Pose = { rotation, scale: 10, translation: [centre[0], centre[1], 0] };
    const { cameraPositions: c } = perspectiveFrame(model, shape, { camera: weak, perspective: p });
    const cam = transformPoints({ rotation, scale: 1, translation: p.translation }, shape);
    const t = model.modelTriangles;
    let disagree = 0;
    let checked = 0;
    for (let f = 0; f < t.length; f += 3) {
      const [a, b, d] = [3 * t[f], 3 * t[f + 1], 3 * t[f + 2]];
      // Warped frame: z of the screen-space edge cross product.
      const screen = (c[b] - c[a]) * (c[d + 1] - c[a + 1]) - (c[b + 1] - c[a + 1]) * (c[d] - c[a]);
      // Camera frame: the face normal against the ray from the camera centre to the face.
      const e1 = [0, 1, 2].map((k) => cam[b + k] - cam[a + k]);
      const e2 = [0, 1, 2].map((k) => cam[d + k] - cam[a + k]);
      const nrm = [
        e1[1] * e2[2] - e1[2] * e2[1],
        e1[2] * e2[0] - e1[0] * e2[2],
        e1[0] * e2[1] - e1[1] * e2[0],
      ];
      const ray = nrm[0] * cam[a] + nrm[1] * cam[a + 1] + nrm[2] * cam[a + 2];
      // Skip faces seen edge-on, where rounding decides the sign.
      if (Math.abs(ray) < 1e-3 * Math.hypot(...nrm) * Math.hypot(cam[a], cam[a + 1], cam[a + 2])) continue;
      checked++;
      // The warp multiplies the screen area by f²/(Z₀Z₁Z₂)-like positive factors: the signs agree.
      if (Math.sign(screen) !== Math.sign(ray)) disagree++;
    }
    expect(checked).toBeGreaterThan(300);
    expect(disagree).toBe(0);
  });
});
