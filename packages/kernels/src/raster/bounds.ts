export type Vec3 = [number, number, number];

/** Axis-aligned bounds of packed xyz positions, with the sphere through the box's corners. */
export interface PositionBounds {
  lo: Vec3;
  hi: Vec3;
  centre: Vec3;
  /** Half the box's diagonal. */
  radius: number;
}

/**
 * Bounds of the vertices of `positions` (xyz per vertex) that `include(vertex)` keeps, all by default.
 * With no vertex kept, lo is +∞ and hi −∞ in every axis.
 */
export function positionBounds(
  positions: ArrayLike<number>,
  include: (vertex: number) => boolean = () => true,
): PositionBounds {
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let v = 0; 3 * v < positions.length; v++) {
    if (!include(v)) continue;
    for (let k = 0; k < 3; k++) {
      lo[k] = Math.min(lo[k], positions[3 * v + k]);
      hi[k] = Math.max(hi[k], positions[3 * v + k]);
    }
  }
  return {
    lo,
    hi,
    centre: [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2],
    radius: Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) / 2,
  };
}
