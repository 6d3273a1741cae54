import type { FramedSphere } from '@avatarme/pipeline/skin-render/views.ts';

/**
 * The sphere around the top `fraction` of a mesh's height, centred on that part's bounding box, its
 * radius the farthest such vertex: the head and neck of a head-and-shoulders mesh fill the samples
 * instead of the bust's bounding sphere (+y is up, as the reconstruction exports it).
 */
export function upperSphere(positions: Float32Array, fraction = 0.7): FramedSphere {
  let yLo = Infinity;
  let yHi = -Infinity;
  for (let i = 1; i < positions.length; i += 3) {
    yLo = Math.min(yLo, positions[i]);
    yHi = Math.max(yHi, positions[i]);
  }
  const cut = yHi - fraction * (yHi - yLo);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3)
    if (positions[i + 1] >= cut)
      for (let k = 0; k < 3; k++) {
        lo[k] = Math.min(lo[k], positions[i + k]);
        hi[k] = Math.max(hi[k], positions[i + k]);
      }
  const centre: [number, number, number] = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
  let radius = 0;
  for (let i = 0; i < positions.length; i += 3)
    if (positions[i + 1] >= cut)
      radius = Math.max(
        radius,
        Math.hypot(positions[i] - centre[0], positions[i + 1] - centre[1], positions[i + 2] - centre[2]),
      );
  return { centre, radius };
}
