import type { AbsModel } from './optimise.ts';

/**
 * A small morphable ellipsoid for tests of the fit: a latitude–longitude mesh (radius ~5 units) with
 * three smooth modes (a nose-like bump, width, a brow ridge), UVs over longitude and latitude, all
 * triangles skin, and landmarks on a grid over the front.
 */
export function syntheticAbsModel(rings = 12, segments = 18): AbsModel {
  const V = (rings + 1) * (segments + 1);
  const neutral = new Float32Array(V * 3);
  const uvs = new Float32Array(V * 2);
  const modes = 3;
  const basis = new Float32Array(modes * V * 3);
  for (let r = 0; r <= rings; r++)
    for (let s = 0; s <= segments; s++) {
      const i = r * (segments + 1) + s;
      const lat = (r / rings) * Math.PI; // 0 at the top
      const lon = (s / segments) * 2 * Math.PI; // the seam at the back (z < 0)
      // y up, z towards the viewer (the ICT convention), front at lon = π.
      const n = [Math.sin(lat) * Math.sin(lon), Math.cos(lat), -Math.sin(lat) * Math.cos(lon)];
      neutral.set([4 * n[0], 5 * n[1], 4.5 * n[2]], 3 * i);
      uvs.set([s / segments, r / rings], 2 * i);
      const front = Math.max(0, n[2]);
      const bump = Math.exp(-((n[0] * n[0]) / 0.08 + ((n[1] + 0.1) * (n[1] + 0.1)) / 0.08)) * front;
      basis.set([0, 0, 1.0 * bump], 3 * i);
      basis.set([0.8 * n[0], 0, 0], 3 * (V + i));
      const brow = Math.exp(-((n[1] - 0.35) * (n[1] - 0.35)) / 0.02) * front;
      basis.set([0, 0.2 * brow, 0.7 * brow], 3 * (2 * V + i));
    }
  const tris: number[] = [];
  for (let r = 0; r < rings; r++)
    for (let s = 0; s < segments; s++) {
      const a = r * (segments + 1) + s;
      const b = a + segments + 1;
      // Counter-clockwise seen from outside (y up, z to the viewer).
      if (r > 0) tris.push(a, a + 1, b);
      if (r < rings - 1) tris.push(a + 1, b + 1, b);
    }
  const triangles = Uint32Array.from(tris);
  const landmarks: number[] = [];
  for (let r = Math.round(rings * 0.3); r <= Math.round(rings * 0.7); r += 2)
    for (let s = Math.round(segments * 0.35); s <= Math.round(segments * 0.65); s += 2)
      landmarks.push(r * (segments + 1) + s);
  return {
    neutral,
    basis,
    sigma: new Float64Array(modes).fill(1),
    modelTriangles: triangles,
    source: Uint32Array.from({ length: V }, (_, i) => i),
    uvs,
    triangles,
    skinTriangle: new Uint8Array(triangles.length / 3).fill(1),
    landmarks: Uint32Array.from(landmarks),
  };
}
