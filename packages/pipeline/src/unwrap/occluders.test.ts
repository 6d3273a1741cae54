import { describe, expect, it } from 'vitest';
import { linearToSrgb, srgbToLinear } from '../math/colour.ts';
import { hairProneThreshold, HAIR_ODDS, occludedTexels } from './occluders.ts';

/**
 * A 40×40 layout lit by a directional light plus ambient, normals sweeping ±60° in x and y: the left
 * half is the reference skin, the right half the candidates: skin, then a block of dark-brown hair,
 * a block of white fabric and a block of black fabric.
 */
function scene() {
  const size = 40;
  const n = size * size;
  const observed = new Float32Array(n * 3);
  const normals = new Float32Array(n * 3);
  const reference = new Float32Array(n);
  const candidate = new Float32Array(n);
  const truth = new Uint8Array(n);
  const skin = [0.62, 0.42, 0.33].map(srgbToLinear);
  const blocks: [number, number, number, number[]][] = [
    [22, 30, 4, [0.18, 0.11, 0.07]], // hair: rows 4–11, columns 22–29
    [30, 38, 16, [0.92, 0.92, 0.9]], // white fabric
    [22, 30, 28, [0.04, 0.04, 0.045]], // black fabric
  ];
  const light = [0.4, 0.5, 0.77];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const [ax, ay] = [((x / (size - 1)) * 2 - 1) * 1.05, ((y / (size - 1)) * 2 - 1) * 1.05];
      const v = [Math.sin(ax) * Math.cos(ay), Math.sin(ay), Math.cos(ax) * Math.cos(ay)];
      normals.set(v, 3 * i);
      const shade = 0.25 + Math.max(0, v[0] * light[0] + v[1] * light[1] + v[2] * light[2]);
      let albedo = skin;
      for (const [x0, x1, y0, rgb] of blocks)
        if (x >= x0 && x < x1 && y >= y0 && y < y0 + 8) {
          albedo = rgb.map(srgbToLinear);
          truth[i] = 1;
        }
      for (let c = 0; c < 3; c++) observed[3 * i + c] = linearToSrgb(albedo[c] * shade);
      if (x < size / 2) reference[i] = 1;
      else candidate[i] = 1;
    }
  return { size, observed, normals, reference, candidate, truth };
}

const FOREHEAD_SIZE = 30;
const FOREHEAD_TEXELS = FOREHEAD_SIZE * FOREHEAD_SIZE;

/**
 * The 30×30 forehead scene of the fringe tests, facing the camera under even light: columns 0–9
 * reference skin (with a 2 % ripple), rows 0–11 of columns 10–29 the forehead (candidates), rows
 * 12–19 the band above the brows (growInto). `paint` gives a texel another colour (or keeps skin's).
 */
function foreheadScene(skin: number[], paint: (x: number, y: number, i: number) => number[] | undefined) {
  const size = FOREHEAD_SIZE;
  const n = size * size;
  const observed = new Float32Array(n * 3);
  const normals = new Float32Array(n * 3);
  const [reference, candidate, band] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      normals.set([0, 0, 1], 3 * i);
      if (x < 10) reference[i] = 1;
      else if (y < 12) candidate[i] = 1;
      else if (y < 20) band[i] = 1;
      observed.set(paint(x, y, i) ?? skin.map((c) => c * (1 + 0.02 * Math.sin(3 * x + 5 * y))), 3 * i);
    }
  return { size, n, observed, normals, reference, candidate, band };
}

describe('occluders on bare-skin parts', () => {
  it('marks hair and fabric whatever their brightness, and no skin whatever its shading', () => {
    const s = scene();
    const marked = occludedTexels(s.size, s.observed, s.normals, s.reference, s.candidate);
    let hit = 0;
    let occluders = 0;
    let falseSkin = 0;
    let skin = 0;
    for (let i = 0; i < marked.length; i++) {
      if (!s.candidate[i]) {
        expect(marked[i], 'reference texels are never marked').toBe(0);
        continue;
      }
      // Growth may take the ring of skin texels touching an occluder (strand edges); judge the rest.
      const x = i % s.size;
      const y = Math.floor(i / s.size);
      const nearOccluder = [-1, 0, 1].some((dy) =>
        [-1, 0, 1].some((dx) => s.truth[Math.min(s.size - 1, Math.max(0, y + dy)) * s.size + x + dx]),
      );
      if (s.truth[i]) {
        occluders++;
        hit += marked[i];
      } else if (!nearOccluder) {
        skin++;
        falseSkin += marked[i];
      }
    }
    expect(hit / occluders).toBeGreaterThan(0.98);
    // Skin lit from 25% to 125% of the reference's mean: the shading is divided out, so none is marked.
    expect(falseSkin / skin).toBeLessThan(0.01);
  });

  it('marks nothing without enough reference skin to measure', () => {
    const s = scene();
    const marked = occludedTexels(s.size, s.observed, s.normals, new Float32Array(s.size ** 2), s.candidate);
    expect(marked.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('on hair-prone texels (the scalp) marks light hair that is within 3 σ of skin, and still no skin', () => {
    const s = scene();
    // A block of light hair: the skin's colour with ln(r/g) 0.12 lower, 2.4 of the chroma floor's σ
    // (0.05) from the skin: above the scalp's threshold (2.10 at odds 10), below the default 3.
    const block = (i: number) =>
      i % s.size >= 22 && i % s.size < 30 && Math.floor(i / s.size) >= 16 && Math.floor(i / s.size) < 24;
    for (let i = 0; i < s.size ** 2; i++)
      if (block(i)) s.observed[3 * i] = linearToSrgb(srgbToLinear(s.observed[3 * i]) * Math.exp(-0.12));
    const count = (m: Uint8Array, where: (i: number) => boolean) =>
      m.reduce((n, v, i) => n + (v && where(i) ? 1 : 0), 0);
    const skin = (i: number) => s.candidate[i] > 0 && !block(i) && !s.truth[i];
    const even = occludedTexels(s.size, s.observed, s.normals, s.reference, s.candidate, { growSteps: 0 });
    expect(count(even, block)).toBe(0);
    // The whole candidate half hair-prone: the light hair goes, the bare skin around it stays.
    const prone = occludedTexels(s.size, s.observed, s.normals, s.reference, s.candidate, {
      growSteps: 0,
      hairProne: s.candidate,
    });
    expect(count(prone, block)).toBe(64);
    expect(count(prone, skin)).toBe(0);
  });

  it('lowers the threshold by the log prior odds (Gaussian skin against a flat occluder likelihood)', () => {
    expect(hairProneThreshold(3, 1)).toBe(3);
    // d² = 9 − 2 ln 10 = 4.395
    expect(hairProneThreshold(3, HAIR_ODDS)).toBeCloseTo(Math.sqrt(9 - 2 * Math.log(10)), 12);
    expect(hairProneThreshold(1, 1e6)).toBe(0);
  });

  it('follows a fringe down into the band above the brows, but not the brows or bare skin there', () => {
    // 30×30, facing the camera, even light. Columns 0–9: reference skin. Rows 0–11 of columns 10–29:
    // forehead (candidates), a fringe over columns 12–20. Rows 12–19: the band above the brows
    // (growInto): the fringe's tips in rows 12–14 of columns 14–18, a brow in rows 17–19, and in
    // rows 12–13 of columns 23–28, under bare forehead, dark skin (shadow under the brow ridge).
    const skin = [0.62, 0.42, 0.33];
    const hair = [0.45, 0.28, 0.14];
    const [tips, brow, shadow] = [
      new Uint8Array(FOREHEAD_TEXELS),
      new Uint8Array(FOREHEAD_TEXELS),
      new Uint8Array(FOREHEAD_TEXELS),
    ];
    const { size, n, observed, normals, reference, candidate, band } = foreheadScene(skin, (x, y, i) => {
      if (x >= 12 && x <= 20 && y < 12) return hair;
      if (x >= 14 && x <= 18 && y >= 12 && y <= 14) {
        tips[i] = 1;
        return hair;
      }
      if (x >= 10 && y >= 17 && y <= 19) {
        brow[i] = 1;
        return [0.2, 0.13, 0.08];
      }
      if (x >= 23 && x <= 28 && y >= 12 && y <= 13) {
        shadow[i] = 1;
        return skin.map((c) => 0.6 * c);
      }
      return undefined;
    });
    const marked = (growIntoSteps: number) =>
      occludedTexels(size, observed, normals, reference, candidate, { growInto: band, growIntoSteps });
    const count = (m: Uint8Array, where: Uint8Array) => m.reduce((a, v, i) => a + (v && where[i] ? 1 : 0), 0);
    const m = marked(3);
    expect(count(m, tips)).toBe(15);
    expect(count(m, brow)).toBe(0);
    expect(count(m, shadow)).toBe(0);
    // Nothing is marked in the band that is not below the fringe.
    for (let i = 0; i < n; i++) if (band[i] && m[i]) expect(tips[i]).toBe(1);
    // Without growth into the band (the default) the tips stay, as before.
    expect(count(marked(0), tips)).toBe(0);
  });

  it('follows a strand far darker than the brows past the reach, down to the brow, and not into it', () => {
    // 30×30, facing the camera, even light. Columns 0–9: reference skin; rows 0–11 of columns 10–29:
    // forehead (candidates) under a fringe over columns 12–20; rows 12–19: the band (growInto) with a
    // brow in rows 16–19, and in columns 14–16 a lock of the fringe reaching rows 12–17, over the
    // brow's top two rows. The reach is 2 rows.
    const skin = [0.62, 0.42, 0.33];
    const marks = (fringe: number[], browColour: number[]) => {
      const [lock, brow] = [new Uint8Array(FOREHEAD_TEXELS), new Uint8Array(FOREHEAD_TEXELS)];
      const { size, n, observed, normals, reference, candidate, band } = foreheadScene(skin, (x, y, i) => {
        if (x >= 12 && x <= 20 && y < 12) return fringe;
        if (x >= 14 && x <= 16 && y >= 12 && y <= 17) {
          lock[i] = 1;
          return fringe;
        }
        if (x >= 10 && y >= 16 && y <= 19) {
          brow[i] = 1;
          return browColour;
        }
        return undefined;
      });
      const m = occludedTexels(size, observed, normals, reference, candidate, {
        growInto: band,
        growIntoSteps: 2,
      });
      const count = (where: Uint8Array) => m.reduce((a, v, i) => a + (v && where[i] ? 1 : 0), 0);
      for (let i = 0; i < n; i++) if (band[i] && m[i]) expect(lock[i]).toBe(1);
      return { lock: count(lock), brow: count(brow) };
    };
    // Near-black hair: all 18 of the lock's texels, 4 rows past the reach, and none of the brow though
    // the lock touches it from above (the brow is 60 of the band's 160 texels: its 90th percentile).
    const pale = skin.map((c) => linearToSrgb(0.45 * srgbToLinear(c)));
    expect(marks([0.1, 0.06, 0.04], pale)).toEqual({ lock: 18, brow: 0 });
    // A fringe of the brow's own brown: only the reach's 2 rows of the lock.
    const brown = [0.3, 0.19, 0.1];
    expect(marks(brown, brown)).toEqual({ lock: 6, brow: 0 });
  });

  describe('the soft edge of an occluder', () => {
    // The fringe scenes' forehead with reference skin that varies as the sample's core skin does
    // (robust σ about 0.08 in ln r/g, 0.14 in ln b/g, 0.3 in ln luminance: cheeks, nose and chin under
    // shading the first-order model leaves), a forehead that varies a quarter as much from texel to
    // texel, and paler and bluer than the cheeks, as the sample's: a blur of it with hair passes
    // closer to the reference skin than the forehead itself, within the growth's 0.4 of the threshold.
    const skin = [0.62, 0.42, 0.33].map(srgbToLinear);
    const hair = [0.45, 0.28, 0.14].map(srgbToLinear);
    const forehead = [Math.exp(-0.05), 1, Math.exp(0.1)].map((k, c) => skin[c] * k * Math.exp(0.15));
    const ripple = (rgb: number[], x: number, y: number, amount = 0.25) =>
      [0.08 * Math.sin(3 * x + 5 * y), 0, 0.13 * Math.sin(5 * x + 2 * y + 1)].map((k, c) =>
        linearToSrgb(rgb[c] * Math.exp(amount * (k + 0.3 * Math.sin(2 * x + 7 * y + 2)))),
      );
    const mix = (share: number, brightness = 1) =>
      forehead.map((f, c) => brightness * ((1 - share) * f + share * hair[c]));
    const count = (m: Uint8Array, where: Uint8Array) => m.reduce((a, v, i) => a + (v && where[i] ? 1 : 0), 0);

    it('marks the row of hair blurred into the skin under a fringe, not the skin under it', () => {
      // Columns 12–17: a fringe down to row 6 of the forehead, row 7 half hair (linear), row 8 15 %.
      // Columns 21–26: a fringe reaching 2 rows into the band (rows 12–13), row 14 half hair.
      const [soft, faint, skinBelow] = [0, 1, 2].map(() => new Uint8Array(FOREHEAD_TEXELS));
      const { size, observed, normals, reference, candidate, band } = foreheadScene([], (x, y, i) => {
        if (x < 10) return ripple(skin, x, y, 1);
        const left = x >= 12 && x <= 17;
        const right = x >= 21 && x <= 26;
        if ((left && y <= 6) || (right && y <= 13)) return ripple(hair, x, y);
        if ((left && y === 7) || (right && y === 14)) {
          soft[i] = 1;
          return ripple(mix(0.5), x, y);
        }
        if (left && y === 8) {
          faint[i] = 1;
          return ripple(mix(0.15), x, y);
        }
        if ((left || right) && y < 20) skinBelow[i] = 1;
        return ripple(forehead, x, y);
      });
      const marked = (edgeSteps: number) =>
        occludedTexels(size, observed, normals, reference, candidate, {
          growInto: band,
          growIntoSteps: 2,
          edgeSteps,
        });
      // Without the edge rule the soft row passes as skin (it is what the sample's line was) …
      expect(count(marked(0), soft)).toBe(0);
      const m = marked(2);
      // … with it the row goes; the faint row under it (0.05 of the way to the hair in the features)
      // and the skin below stay.
      expect(count(m, soft)).toBe(12);
      expect(count(m, faint)).toBe(0);
      expect(count(m, skinBelow)).toBe(0);
    });

    it('takes nothing from bare skin, however it is shaded, beside a fringe or not', () => {
      // The forehead darkens towards its top (0.7 of its light at row 0, 1 at row 19), a gradient the
      // flat normals do not explain; with a fringe, over columns 12–20 down to row 6, ending sharply.
      const scene = (withFringe: boolean) => {
        const fringe = new Uint8Array(FOREHEAD_TEXELS);
        const s = foreheadScene([], (x, y, i) => {
          if (x < 10) return ripple(skin, x, y, 1);
          if (withFringe && x >= 12 && x <= 20 && y <= 6) {
            fringe[i] = 1;
            return ripple(hair, x, y);
          }
          return ripple(mix(0, 0.7 + (0.3 * y) / 19), x, y);
        });
        const marked = (edgeSteps?: number) =>
          occludedTexels(s.size, s.observed, s.normals, s.reference, s.candidate, {
            growInto: s.band,
            growIntoSteps: 3,
            edgeSteps,
          });
        return { fringe, m: marked(), withoutEdges: marked(0) };
      };
      const bare = scene(false);
      expect(bare.m.reduce((a, v) => a + v, 0)).toBe(0);
      // Beside a fringe the colour threshold and its growth take the fringe and 4 texels of darkened
      // skin touching it (ripple over the threshold's 0.4); the edge rule adds none.
      const { fringe, m, withoutEdges } = scene(true);
      expect(count(m, fringe)).toBe(63);
      expect(m.reduce((a, v) => a + v, 0) - count(m, fringe)).toBe(4);
      for (let i = 0; i < FOREHEAD_TEXELS; i++) expect(m[i], `texel ${i}`).toBe(withoutEdges[i]);
    });
  });
});
