import { describe, expect, it } from 'vitest';
import { psnr, composite } from '../render/quality.ts';
import { completionStats, mirrorComplete, TexelSource, texelConfidence } from './texels.ts';

describe('texel visibility', () => {
  // Four texels, all in the layout: seen; facing away; occluded (depth differs); projected outside the photo.
  const camera = new Float32Array(
    [
      [5, 5, 0.1, 0, 0, -1],
      [5, 5, 0.1, 0, 0, 1],
      [5, 5, 0.3, 0.6, 0, -0.8],
      [-1, 5, 0.1, 0, 0, -1],
    ].flat(),
  );
  const inputs = {
    uvRaster: new Float32Array([0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]),
    camera,
    cameraChannels: 6,
    depthAtPixel: new Float32Array([0, 0, 0.1, 1, 0, 0, 0.1, 2, 0, 0, 0.1, 3, 0, 0, 0.1, 4]),
    width: 10,
    height: 10,
    minFacing: 0.15,
    depthTolerance: 0.05,
  };

  it('keeps only texels that are the nearest surface, face the camera and fall inside the photo', () => {
    expect(Array.from(texelConfidence(inputs))).toEqual([1, 0, 0, 0]);
  });

  it('passes the z-buffer test within the tolerance and reports the facing cosine', () => {
    const near = { ...inputs, depthTolerance: 0.25 };
    expect(texelConfidence(near)[2]).toBeCloseTo(0.8, 6);
  });
});

describe('symmetry completion and statistics', () => {
  it('copies observed texels, takes well-observed mirrors renormalised, and leaves the rest to inpainting', () => {
    const uvRaster = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    const observed = new Float32Array([0.2, 0.4, 0.6, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const confidence = new Float32Array([0.9, 0, 0, 0]);
    // Texel 1's mirror was 80% observed (colour premultiplied by 0.8); texel 2's only 50%.
    const mirrored = new Float32Array([0, 0, 0, 0, 0.4, 0.4, 0.8, 0.8, 0.1, 0.1, 0.1, 0.5, 0, 0, 0, 0]);
    const r = mirrorComplete(observed, confidence, mirrored, uvRaster);
    expect(Array.from(r.source)).toEqual([
      TexelSource.observed,
      TexelSource.mirrored,
      TexelSource.inpainted,
      TexelSource.outside,
    ]);
    expect(Array.from(r.known)).toEqual([1, 1, 0, 0]);
    expect(Array.from(r.rgb.subarray(3, 6))).toEqual([0.5, 0.5, 1]);
    expect(completionStats(r.source)).toEqual({
      layout: 3,
      observed: 1,
      mirrored: 1,
      inpainted: 1,
      completedShare: 2 / 3,
    });
  });
});

describe('image quality helpers', () => {
  it('computes PSNR over a mask and composites with per-pixel weights', () => {
    const a = new Float32Array([0, 0, 0, 1, 1, 1]);
    const b = new Float32Array([0.1, 0.1, 0.1, 0, 0, 0]);
    expect(psnr(a, b, [1, 0])).toBeCloseTo(20, 6); // MSE 0.01
    expect(psnr(a, a, [1, 1])).toBe(Infinity);
    expect(() => psnr(a, b, [0, 0])).toThrow(/selects no pixel/);
    expect(Array.from(composite(a, b, [0.5, 0], 1))).toEqual([0.05, 0.05, 0.05, 1, 1, 1].map(Math.fround));
  });
});
