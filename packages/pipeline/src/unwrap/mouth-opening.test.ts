import { describe, expect, it } from 'vitest';
import {
  lipCompletion,
  MOUTH_PIXEL,
  mouthContours,
  mouthPixels,
  texelsReading,
  type MouthContours,
} from './mouth-opening.ts';

const ellipse = (cx: number, cy: number, rx: number, ry: number, n = 20) =>
  Array.from({ length: n }, (_, k) => {
    const a = (2 * Math.PI * k) / n;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)] as const;
  });
const insideEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) =>
  ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1;

/**
 * A 60×40 photo of an open smile: skin around red lips (outer contour an ellipse 20 × 10 px about
 * (30, 20)), the opening an ellipse 15 × 5 px of teeth with dark corners (|x − 30| > 12), a light
 * highlight on the lower lip a pixel below the teeth; the lips' shading varies ±15 % across. The inner contour given is
 * 14 × 3 px: too narrow, as FaceMesh's is on open smiles.
 */
function smile() {
  const [w, h] = [60, 40];
  const photo = new Float32Array(w * h * 3);
  const truth = new Uint8Array(w * h);
  const highlight = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [cx, cy] = [x + 0.5, y + 0.5];
      const i = y * w + x;
      let c = [0.8, 0.62, 0.52]; // skin
      if (insideEllipse(cx, cy, 30, 20, 20, 10)) {
        const shade = 0.85 + (0.3 * x) / w;
        c = [0.72, 0.4, 0.42].map((v) => v * shade);
        if (Math.hypot(cx - 30, cy - 27.5) < 1.5) [c, highlight[i]] = [[0.86, 0.6, 0.6], 1];
      }
      if (insideEllipse(cx, cy, 30, 20, 15, 5)) {
        c = Math.abs(cx - 30) > 12 ? [0.1, 0.05, 0.05] : [0.9, 0.88, 0.82];
        truth[i] = 1;
      }
      photo.set(c, 3 * i);
    }
  const mouth: MouthContours = { inner: ellipse(30, 20, 14, 3), outer: ellipse(30, 20, 20, 10) };
  return { w, h, photo, truth, highlight, mouth };
}

describe('the photo’s mouth opening', () => {
  it('takes the lips’ contours from FaceMesh’s points, inner and outer loops of 20', () => {
    const points = Array.from({ length: 468 }, (_, i) => [i, 2 * i, 0] as [number, number, number]);
    const { inner, outer } = mouthContours(points);
    expect(inner).toHaveLength(20);
    expect(outer).toHaveLength(20);
    // The loops start at the mouth corners: 78 (inner) and 61 (outer).
    expect(inner[0]).toEqual([78, 156]);
    expect(outer[0]).toEqual([61, 122]);
  });

  it('labels the teeth and dark corners beyond a too-narrow inner contour as opening, and no lip or highlight', () => {
    const { w, h, photo, truth, highlight, mouth } = smile();
    const labels = mouthPixels(photo, w, h, mouth);
    const mask = labels.map((l) => (l === MOUTH_PIXEL.opening ? 1 : 0));
    let [hit, missed, wrong] = [0, 0, 0];
    mask.forEach((m, i) => {
      if (truth[i] && m) hit++;
      else if (truth[i]) missed++;
      else if (m) wrong++;
    });
    // Every pixel of the opening inside the outer contour: the growth reaches 2 px past the contour.
    expect(missed).toBe(0);
    expect(hit).toBeGreaterThan(150);
    expect(wrong).toBe(0);
    expect(highlight.some((v, i) => v && mask[i])).toBe(false);
    // The rest of the outer contour's inside is lips.
    const lips = labels.reduce((n, l) => n + (l === MOUTH_PIXEL.lips ? 1 : 0), 0);
    let outer = 0;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if (insideEllipse(x + 0.5, y + 0.5, 30, 20, 20, 10) && !truth[y * w + x]) outer++;
    expect(lips).toBeLessThanOrEqual(outer);
    expect(lips).toBeGreaterThan(0.9 * outer);
  });

  it('marks only the contour’s inside where the lips are all alike (nothing to grow into)', () => {
    const { w, h, mouth } = smile();
    const photo = new Float32Array(w * h * 3).fill(0.5);
    const labels = mouthPixels(photo, w, h, mouth);
    const inner = labels.reduce((n, l) => n + (l === MOUTH_PIXEL.opening ? 1 : 0), 0);
    // Pixel centres inside the contour's ellipse (the 20-gon given is inscribed in it: a few less).
    let ellipseCount = 0;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) if (insideEllipse(x + 0.5, y + 0.5, 30, 20, 14, 3)) ellipseCount++;
    expect(inner).toBeLessThanOrEqual(ellipseCount);
    expect(inner).toBeGreaterThan(0.9 * ellipseCount);
  });

  it('flags a texel whose bilinear taps give a label any weight, and no other', () => {
    const [w, h] = [4, 4];
    const pixels = new Uint8Array(w * h).fill(MOUTH_PIXEL.lips);
    pixels[1 * w + 2] = MOUTH_PIXEL.opening; // pixel (2, 1), centre (2.5, 1.5)
    // Camera x, y per texel (2 channels); texel 3 is not eligible.
    const at = [
      [1.5, 1.5], // centre of pixel (1, 1): weight 1 on it, 0 on (2, 1)
      [1.75, 1.5], // a quarter on (2, 1)
      [2.5, 2.5], // centre of (2, 2)
      [2.5, 1.5], // on the opening, not eligible
    ];
    const got = texelsReading(2, at.flat(), 2, (i) => i !== 3, pixels, MOUTH_PIXEL.opening, w, h);
    expect(Array.from(got)).toEqual([0, 1, 0, 0]);
  });

  it('completes from the lips the unknown texels that read the opening and the unseen skin joined to them within the lips’ box', () => {
    // A 6×6 layout, every row at model x = 0…5, y 0: row 0 the lips, row 1 a gutter outside the layout
    // (region 0), rows 2–5 the back of the head behind them (same x, y), unseen and not joined to row 0.
    const size = 6;
    const positions = Float32Array.from(
      Array.from({ length: size * size }, (_, i) => [i % size, 0, 0]).flat(),
    );
    const inMouth = new Uint8Array(size * size);
    inMouth[2] = 1;
    const readsLips = new Uint8Array(size * size);
    [readsLips[1], readsLips[4]] = [1, 1];
    // Row 0: texel 3 unseen inside the box (x 1–4), texel 5 unseen outside it.
    const known = [1, 1, 0, 0, 1, 0, ...new Array<number>(5 * size).fill(0)];
    const region = Uint8Array.from({ length: size * size }, (_, i) => (i >= size && i < 2 * size ? 0 : 1));
    const got = lipCompletion(size, inMouth, readsLips, known, region, 1, positions);
    expect(Array.from(got)).toEqual([0, 0, 1, 1, 0, 0, ...new Array<number>(5 * size).fill(0)]);
    // Not another region's texels, and nothing when no texel read the opening.
    const teeth = Uint8Array.from(region, (r, i) => (i === 3 ? 2 : r));
    expect(
      Array.from(lipCompletion(size, inMouth, readsLips, known, teeth, 1, positions).subarray(0, size)),
    ).toEqual([0, 0, 1, 0, 0, 0]);
    const none = lipCompletion(size, new Uint8Array(size * size), readsLips, known, region, 1, positions);
    expect(none.some((v) => v)).toBe(false);
  });
});
