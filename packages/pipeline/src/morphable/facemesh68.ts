/**
 * FaceMesh's 468 points → the 68 multi-PIE (iBUG 300-W / dlib) landmarks, in that order. Each entry
 * lists one or two FaceMesh indices; two are averaged (the 68-point location falls between them).
 *
 * Source of the table: Peizhi Yan, "Mediapipe_2_Dlib_Landmarks" (github.com/PeizhiYan/
 * Mediapipe_2_Dlib_Landmarks, mediapipe2dlib/mp2dlib.py, Sep. 2024), which hand-picked the
 * correspondences on MediaPipe's canonical face mesh. Indices are the same for FaceMesh's 468 and the
 * attention model's first 468 of 478 points. The 17 contour points (0–16) follow the visible jaw
 * outline only on a frontal face; weight them down for large yaw.
 */
export const FACEMESH_TO_68: readonly (readonly number[])[] = [
  // jaw contour 0–16, from the subject's right (image left) to left
  [127], [234], [93], [132, 58], [58, 172], [136], [150], [176], [152], [400], [379], [365], [397, 288], [361], [323], [454], [356],
  // right brow 17–21, left brow 22–26
  [70], [63], [105], [66], [107], [336], [296], [334], [293], [300],
  // nose bridge 27–30, lower nose 31–35
  [168, 6], [197, 195], [5], [4], [75], [97], [2], [326], [305],
  // right eye 36–41, left eye 42–47
  [33], [160], [158], [133], [153], [144], [362], [385], [387], [263], [373], [380],
  // outer lips 48–59
  [61], [39], [37], [0], [267], [269], [291], [321], [314], [17], [84], [91],
  // inner lips 60–67
  [78], [82], [13], [312], [308], [317], [14], [87],
]; // prettier-ignore

/** The 68 landmarks [68·dims] from FaceMesh points [468·dims] (dims 2 or 3; 478 points also work). */
export function faceMeshTo68(points: ArrayLike<number>, dims: 2 | 3): Float64Array {
  if (points.length < 468 * dims) {
    throw new RangeError(
      `faceMeshTo68: expected ≥ 468 points of ${dims} values, got ${points.length} values`,
    );
  }
  const out = new Float64Array(68 * dims);
  FACEMESH_TO_68.forEach((src, i) => {
    for (let k = 0; k < dims; k++) {
      let s = 0;
      for (const j of src) s += points[j * dims + k];
      out[i * dims + k] = s / src.length;
    }
  });
  return out;
}
