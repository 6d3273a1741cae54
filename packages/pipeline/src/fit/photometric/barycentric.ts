import { cross, dot, type Vec3 } from '../../math/vec3.ts';

/**
 * The rasteriser's adjoint: ∂L/∂(u, v) per pixel (what interpolate's backward gives) carried to the
 * clip-space positions of the pixel's triangle (nvdiffrast's rasterize backward). With the pixel centre
 * p = (x_ndc, y_ndc, 1) and the vertices' homogeneous 2-D clip coordinates qₖ = (xₖ, yₖ, wₖ), the
 * perspective-correct barycentrics are bₖ = Dₖ / (D₀ + D₁ + D₂), Dₖ = det[p, qₖ₊₁, qₖ₊₂] = p·(qₖ₊₁ × qₖ₊₂)
 * (the screen-space edge functions divided by wₖ, renormalised); u = b₀, v = b₁. Positions then move
 * with interior edges and texture and shading gradients, not only with silhouettes (antialias).
 * Depth (clip z) does not enter the barycentrics; the triangle that covers a pixel is held fixed.
 */

/** The pixel centre of (x, y) in normalised device coordinates, as the rasteriser maps it. */
export function pixelNdc(x: number, y: number, width: number, height: number): Vec3 {
  return [((x + 0.5) / width) * 2 - 1, ((y + 0.5) / height) * 2 - 1, 1];
}

/** Perspective-correct (u, v) of a pixel centre in a triangle of clip positions [x, y, w] ×3. */
export function barycentrics(p: Vec3, q: [Vec3, Vec3, Vec3]): [number, number] {
  const d = [0, 1, 2].map((k) => dot(p, cross(q[(k + 1) % 3], q[(k + 2) % 3])));
  const s = d[0] + d[1] + d[2];
  return [d[0] / s, d[1] / s];
}

/**
 * Adds ∂L/∂clip [V·4] (x, y, w lanes) from ∂L/∂(u, v) [H·W·4, channels 0, 1] given the raster
 * (u, v, z/w, id + 1) [H·W·4], the clip positions [V·4] and the triangles [T·3].
 */
export function barycentricsBackward(
  clip: ArrayLike<number>,
  triangles: ArrayLike<number>,
  rast: ArrayLike<number>,
  dUv: ArrayLike<number>,
  width: number,
  height: number,
  out: Float32Array,
): Float32Array {
  for (let pix = 0; pix < width * height; pix++) {
    const id = rast[4 * pix + 3];
    const [gu, gv] = [dUv[4 * pix], dUv[4 * pix + 1]];
    if (!(id > 0) || (gu === 0 && gv === 0)) continue;
    const t = id - 1;
    const ids = [triangles[3 * t], triangles[3 * t + 1], triangles[3 * t + 2]];
    const q = ids.map((i) => [clip[4 * i], clip[4 * i + 1], clip[4 * i + 3]] as Vec3) as [Vec3, Vec3, Vec3];
    const p = pixelNdc(pix % width, Math.floor(pix / width), width, height);
    const d = [0, 1, 2].map((k) => dot(p, cross(q[(k + 1) % 3], q[(k + 2) % 3])));
    const s = d[0] + d[1] + d[2];
    if (s === 0) continue;
    // L depends on D through u = D₀/S, v = D₁/S: ∂L/∂Dₖ = (gₖ − gu·u − gv·v)/S with g = (gu, gv, 0).
    const mean = (gu * d[0] + gv * d[1]) / s;
    const gD = [(gu - mean) / s, (gv - mean) / s, -mean / s];
    // Dₖ = p·(qₖ₊₁ × qₖ₊₂): ∂Dₖ/∂qₖ₊₁ = qₖ₊₂ × p, ∂Dₖ/∂qₖ₊₂ = p × qₖ₊₁.
    for (let k = 0; k < 3; k++) {
      if (gD[k] === 0) continue;
      const [a, b] = [(k + 1) % 3, (k + 2) % 3];
      const ga = cross(q[b], p);
      const gb = cross(p, q[a]);
      for (const [j, g] of [
        [a, ga],
        [b, gb],
      ] as const) {
        out[4 * ids[j]] += gD[k] * g[0];
        out[4 * ids[j] + 1] += gD[k] * g[1];
        out[4 * ids[j] + 3] += gD[k] * g[2];
      }
    }
  }
  return out;
}
