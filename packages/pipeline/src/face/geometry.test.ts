import { describe, expect, it } from 'vitest';
import { BLAZEFACE_BACK, BLAZEFACE_FRONT, ssdAnchors } from './anchors.ts';
import { decodeDetections, iou, nonMaxSuppression, sigmoid } from './decode.ts';
import { applyAffine, cropToImage, faceRoi, invertAffine, letterbox } from './roi.ts';

describe('BlazeFace anchors (reference-facts §5.1)', () => {
  it.each([
    ['front 128', BLAZEFACE_FRONT, 16, 8],
    ['back 256', BLAZEFACE_BACK, 16, 8],
  ] as const)(
    '%s: 896 anchors, 2 per cell on the fine grid then 6 per cell on the coarse one',
    (_, o, fine, coarse) => {
      const a = ssdAnchors(o);
      expect(a.length / 2).toBe(896);
      expect(fine * fine * 2 + coarse * coarse * 6).toBe(896);
      // Layer, then y, then x, then anchor id; centres at (cell + 0.5) / cells.
      for (let i = 0; i < 896; i++) {
        const coarseLayer = i >= fine * fine * 2;
        const cells = coarseLayer ? coarse : fine;
        const per = coarseLayer ? 6 : 2;
        const cell = Math.floor((coarseLayer ? i - fine * fine * 2 : i) / per);
        expect(a[2 * i]).toBeCloseTo(((cell % cells) + 0.5) / cells, 6);
        expect(a[2 * i + 1]).toBeCloseTo((Math.floor(cell / cells) + 0.5) / cells, 6);
      }
    },
  );
});

describe('BlazeFace decoding and NMS', () => {
  it('decodes centre, size and keypoints relative to the anchor, score through a sigmoid', () => {
    const anchors = new Float32Array([0.25, 0.75, 0.5, 0.5]);
    const logits = new Float32Array([2, -5]);
    const reg = new Float32Array(32);
    reg.set([12.8, -25.6, 64, 32, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const dets = decodeDetections(logits, reg, anchors, 128, 0.5);
    expect(dets).toHaveLength(1);
    const d = dets[0];
    expect(d.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    const [cx, cy, w, h] = [0.25 + 0.1, 0.75 - 0.2, 0.5, 0.25];
    d.box.forEach((v, i) => expect(v).toBeCloseTo([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2][i], 6));
    expect(d.keypoints[0][0]).toBeCloseTo(0.25 + 1 / 128, 6);
    expect(d.keypoints[5][1]).toBeCloseTo(0.75 + 12 / 128, 6);
    expect(sigmoid(1e6)).toBe(sigmoid(100));
  });

  it('keeps the best of overlapping boxes and separate faces', () => {
    const box = (x: number, s: number) => ({ score: s, box: [x, 0, x + 1, 1] });
    const kept = nonMaxSuppression([box(0, 0.6), box(0.1, 0.9), box(5, 0.7)], 0.3);
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.7]);
    expect(iou([0, 0, 2, 2], [1, 1, 3, 3])).toBeCloseTo(1 / 7, 6);
  });
});

describe('ROI geometry (reference-facts §5.2)', () => {
  it('letterbox fits the long side and centres the short one; inversion round-trips', () => {
    const m = letterbox(400, 200, 256);
    expect(applyAffine(m, 0, 0)).toEqual([0, 64]);
    expect(applyAffine(m, 400, 200)).toEqual([256, 192]);
    const back = applyAffine(invertAffine(m), ...applyAffine(m, 123, 45));
    expect(back[0]).toBeCloseTo(123, 9);
    expect(back[1]).toBeCloseTo(45, 9);
  });

  it('the crop is centred on the box, 1.5 × its long side, with the eyes on one crop row', () => {
    const eyes: [[number, number], [number, number]] = [
      [100, 120],
      [160, 150],
    ];
    const roi = faceRoi([90, 80, 80, 100], eyes);
    expect(roi.size).toBe(150);
    const m = cropToImage(roi, 192);
    expect(applyAffine(m, 96, 96)).toEqual([130, 130].map((v) => expect.closeTo(v, 9)));
    const toCrop = invertAffine(m);
    const [, y0] = applyAffine(toCrop, ...eyes[0]);
    const [x1, y1] = applyAffine(toCrop, ...eyes[1]);
    expect(y1).toBeCloseTo(y0, 9);
    expect(x1).toBeGreaterThan(applyAffine(toCrop, ...eyes[0])[0]);
    // One crop pixel is size / 192 image pixels in every direction.
    const [ax, ay] = applyAffine(m, 0, 0);
    const [bx, by] = applyAffine(m, 192, 0);
    expect(Math.hypot(bx - ax, by - ay)).toBeCloseTo(150, 9);
  });
});
