// Per-texel decisions of the unwrap, as pure functions on read-back arrays (tested in Node).

/** Where each texel's colour came from. */
export const TexelSource = { outside: 0, observed: 1, mirrored: 2, inpainted: 3 } as const;

export interface VisibilityInputs {
  /** Raster of the UV layout [S·S·4] (lane 3 = triangle id + 1, 0 outside the layout). */
  uvRaster: Float32Array;
  /** Interpolated camera-frame attributes [S·S·C]: x, y (pixels), depth z (NDC), normal x, y, z. */
  camera: Float32Array;
  cameraChannels: number;
  /** The photo's raster looked up at each texel's projected pixel [S·S·4]: lane 2 = nearest depth (NDC), lane 3 = id + 1. */
  depthAtPixel: Float32Array;
  width: number;
  height: number;
  /** Cosine between normal and view direction below which a texel counts as unseen. */
  minFacing: number;
  /** Depth difference (NDC) within which the texel is the visible surface. */
  depthTolerance: number;
}

/**
 * Confidence per texel: the cosine between the surface normal and the direction to the camera where
 * the texel is the nearest surface at its pixel (z-buffer test), inside the photo and facing it by at
 * least minFacing; 0 elsewhere. The camera looks along +z, so a surface faces it when n_z < 0.
 */
export function texelConfidence(v: VisibilityInputs): Float32Array {
  const count = v.uvRaster.length / 4;
  const out = new Float32Array(count);
  const c = v.cameraChannels;
  for (let i = 0; i < count; i++) {
    if (v.uvRaster[4 * i + 3] === 0 || v.depthAtPixel[4 * i + 3] === 0) continue;
    const [x, y, z] = [v.camera[c * i], v.camera[c * i + 1], v.camera[c * i + 2]];
    if (x < 0 || y < 0 || x >= v.width || y >= v.height) continue;
    const [nx, ny, nz] = [v.camera[c * i + 3], v.camera[c * i + 4], v.camera[c * i + 5]];
    const len = Math.hypot(nx, ny, nz);
    const facing = len > 0 ? -nz / len : 0;
    if (facing < v.minFacing) continue;
    if (Math.abs(z - v.depthAtPixel[4 * i + 2]) > v.depthTolerance) continue;
    out[i] = facing;
  }
  return out;
}

/**
 * Completion by symmetry: texels of the layout that were not observed take the colour at their
 * mirror image when that was observed. `mirrored` is the observed RGBA (rgb·seen, seen) sampled
 * bilinearly at each texel's mirror UV, so its alpha is the observed share of the four taps; a mirror
 * counts when at least `minShare` of it was observed, and its colour is renormalised by that share.
 * Returns the RGB so far, the known mask (1 observed or mirrored) and each texel's source.
 */
export function mirrorComplete(
  observed: Float32Array,
  confidence: Float32Array,
  mirrored: Float32Array,
  uvRaster: Float32Array,
  minShare = 0.75,
): { rgb: Float32Array; known: Float32Array; source: Uint8Array } {
  const count = confidence.length;
  const rgb = new Float32Array(count * 3);
  const known = new Float32Array(count);
  const source = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    if (uvRaster[4 * i + 3] === 0) continue;
    if (confidence[i] > 0) {
      rgb.set(observed.subarray(3 * i, 3 * i + 3), 3 * i);
      known[i] = 1;
      source[i] = TexelSource.observed;
      continue;
    }
    const share = mirrored[4 * i + 3];
    if (share >= minShare) {
      for (let k = 0; k < 3; k++) rgb[3 * i + k] = mirrored[4 * i + k] / share;
      known[i] = 1;
      source[i] = TexelSource.mirrored;
    } else {
      source[i] = TexelSource.inpainted;
    }
  }
  return { rgb, known, source };
}

export interface CompletionStats {
  /** Texels inside the UV layout. */
  layout: number;
  observed: number;
  mirrored: number;
  inpainted: number;
  /** Share of layout texels that were completed (mirrored or inpainted) rather than observed. */
  completedShare: number;
}

export function completionStats(source: Uint8Array): CompletionStats {
  const n = [0, 0, 0, 0];
  for (const s of source) n[s]++;
  const layout = n[1] + n[2] + n[3];
  return {
    layout,
    observed: n[1],
    mirrored: n[2],
    inpainted: n[3],
    completedShare: layout ? (n[2] + n[3]) / layout : 0,
  };
}
