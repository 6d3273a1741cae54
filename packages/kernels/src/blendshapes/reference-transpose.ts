/** basis [M·R] mode-major, grad [R]: returns [M] with out[m] = Σ_r basis[m·R + r] · grad[r] (float64). */
export function blendshapesTransposeReference(
  basis: ArrayLike<number>,
  grad: ArrayLike<number>,
): Float64Array {
  const rows = grad.length;
  const modes = basis.length / rows;
  const out = new Float64Array(modes);
  for (let m = 0; m < modes; m++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += basis[m * rows + r] * grad[r];
    out[m] = s;
  }
  return out;
}
