// The module itself, not the package root: this runs in Node, where the root's WGSL imports do not load.
import { positionBounds } from '@avatarme/kernels/raster/bounds.ts';
import type { FramedSphere } from '@avatarme/pipeline/skin-render/views.ts';

/**
 * The sphere around the top `fraction` of a mesh's height, centred on that part's bounding box, its
 * radius the farthest such vertex: the head and neck of a head-and-shoulders mesh fill the samples
 * instead of the bust's bounding sphere (+y is up, as the reconstruction exports it).
 */
export function upperSphere(positions: Float32Array, fraction = 0.7): FramedSphere {
  const { lo, hi } = positionBounds(positions);
  const cut = hi[1] - fraction * (hi[1] - lo[1]);
  const { centre } = positionBounds(positions, (v) => positions[3 * v + 1] >= cut);
  let radius = 0;
  for (let i = 0; i < positions.length; i += 3)
    if (positions[i + 1] >= cut)
      radius = Math.max(
        radius,
        Math.hypot(positions[i] - centre[0], positions[i + 1] - centre[1], positions[i + 2] - centre[2]),
      );
  return { centre, radius };
}
