/** Cosine similarity of two descriptors, in [-1, 1]. */
export function descriptorSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`descriptors differ in length: ${a.length} vs ${b.length}`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
