// Physical scale of the UV maps: how many millimetres of face one texel covers, and what detail that
// resolution can carry.

/**
 * Millimetres per texel on the seen skin: the median 3-D distance between horizontally adjacent
 * texels of the position map (model units) times the mesh's unit.
 */
export function mmPerTexel(
  size: number,
  positionMap: Float32Array,
  weights: ArrayLike<number>,
  metresPerUnit: number,
): number {
  const d: number[] = [];
  for (let i = 0; i < size * size; i++) {
    if (!(weights[i] > 0) || (i + 1) % size === 0 || !(weights[i + 1] > 0)) continue;
    d.push(
      Math.hypot(
        positionMap[3 * i + 3] - positionMap[3 * i],
        positionMap[3 * i + 4] - positionMap[3 * i + 1],
        positionMap[3 * i + 5] - positionMap[3 * i + 2],
      ),
    );
  }
  if (!d.length) return 1;
  d.sort((a, b) => a - b);
  return d[d.length >> 1] * metresPerUnit * 1000;
}

/**
 * How much of the mesostructure band the maps resolve: none at 1 mm per texel or coarser (a fine
 * wrinkle, ≈ 1 mm wide, would be one texel and its shading indistinguishable from albedo), all of it
 * at 0.5 mm or finer, linear in between.
 */
export function mesostructureGate(mmPerTexel: number): number {
  return Math.min(1, Math.max(0, (1 - mmPerTexel) / 0.5));
}
