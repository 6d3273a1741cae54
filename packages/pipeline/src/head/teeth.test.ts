import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledHeadModelUrl } from '../morphable/bundled.ts';
import { loadMorphableModel } from '../morphable/load.ts';
import { evaluateShape, type MorphableModel } from '../morphable/model.ts';
import { nodeModelReader } from '../morphable/node-files.ts';
import { transformPoints } from '../morphable/pose.ts';
import { gatherPositions } from '../morphable/uv-mesh.ts';
import { insidePolygon } from '../math/polygon.ts';
import { mouthContours } from '../unwrap/mouth-opening.ts';
import { fitHeadWeights, type HeadGeometry } from './fit.ts';
import { regionVertices } from './gaze.ts';
import { prepareHead } from './prepare.ts';
import { MAX_TEETH_DROP_CM, placeUpperTeeth, stillVertices, upperTeethDropPx } from './teeth.ts';

describe('upperTeethDropPx', () => {
  // A 40 × 30 photo whose teeth fill rows 5 … edge[c] of columns 10–19.
  const width = 40;
  const teethMask = (edge: (c: number) => number) => {
    const m = new Uint8Array(width * 30);
    for (let c = 10; c < 20; c++) for (let y = 5; y <= edge(c); y++) m[y * width + c] = 1;
    return m;
  };
  // Model teeth: two points per column 8–21, the lowest at `bottom`.
  const projected = (bottom: (c: number) => number) =>
    Float64Array.from(
      Array.from({ length: 14 }, (_, k) => [k + 8.5, bottom(k + 8) - 3, k + 8.2, bottom(k + 8)]).flat(),
    );

  it('is the median, over the columns both show, of the photo teeth’s bottom edge less the model’s', () => {
    // Photo edges 12 (bottom edge of the pixel: 13) in 9 columns, 20 in one (an outlier); model 10.25.
    const got = upperTeethDropPx(
      teethMask((c) => (c === 15 ? 20 : 12)),
      width,
      projected(() => 10.25),
    )!;
    expect(got.columns).toBe(10);
    expect(got.dropPx).toBeCloseTo(13 - 10.25, 12);
  });

  it('never lifts the teeth, and needs three columns', () => {
    expect(
      upperTeethDropPx(
        teethMask(() => 12),
        width,
        projected(() => 16),
      )!.dropPx,
    ).toBe(0);
    const few = teethMask(() => 12).map((v, i) => (i % width < 12 ? v : 0));
    expect(
      upperTeethDropPx(
        few,
        width,
        projected(() => 10),
      ),
    ).toBeUndefined();
  });
});

describe('the upper jaw of the bundled head placed on a photo', () => {
  let model: MorphableModel;
  beforeAll(async () => {
    model = await loadMorphableModel(nodeModelReader(fileURLToPath(bundledHeadModelUrl())));
  });

  it('is the teeth that no expression mode moves: the jaw modes move the others', () => {
    const still = stillVertices(model, 'teeth');
    const teeth = model.regions.find((r) => r.name === 'teeth')!;
    const jawOpen = model.expression.names.indexOf('jawOpen');
    const V = model.vertexCount;
    const moves = (m: number, v: number) =>
      Math.hypot(...[0, 1, 2].map((k) => model.expression.data[(m * V + v) * 3 + k])) > 1e-3;
    let [lower, lowerOpened] = [0, 0];
    for (let v = teeth.first; v <= teeth.last; v++) {
      if (still.has(v)) {
        for (let m = 0; m < model.expression.count; m++) expect(moves(m, v)).toBe(false);
      } else {
        lower++;
        if (moves(jawOpen, v)) lowerOpened++;
      }
    }
    // ICT's teeth are about half upper, half lower.
    expect(still.size).toBeGreaterThan(0.4 * (teeth.last - teeth.first + 1));
    expect(lowerOpened).toBe(lower);
  });

  it('moves down the face until its teeth end where the photo’s do, and nothing else moves', () => {
    const landmarks = (
      JSON.parse(
        readFileSync(resolve(import.meta.dirname, '../../../../assets/astronaut-landmarks.json'), 'utf8'),
      ) as { landmarks: [number, number, number][] }
    ).landmarks;
    const { fit } = fitHeadWeights(model, landmarks);
    const { topology } = prepareHead(model);
    const positions = gatherPositions(
      evaluateShape(model, fit.identity, fit.expression),
      topology.sourceVertex,
    );
    const head = {
      camera: { ...fit.pose, width: 512, height: 512 },
      topology,
      mesh: { positions, uvs: topology.uvs, triangles: topology.triangles },
      cameraPositions: Float32Array.from(transformPoints(fit.pose, positions)),
    } as unknown as HeadGeometry;
    const stillTeeth = stillVertices(model, 'teeth');
    const upper = Array.from(regionVertices(head, 'teeth')).filter((v) =>
      stillTeeth.has(topology.sourceVertex[v]),
    );
    const lowestPerColumn = (camera: Float32Array) => {
      const m = new Map<number, number>();
      for (const v of upper) {
        const c = Math.floor(camera[3 * v]);
        m.set(c, Math.max(m.get(c) ?? -Infinity, camera[3 * v + 1]));
      }
      return m;
    };
    // A photo whose teeth end 2 px below the head's own (the pixel row below the one the model's end
    // in): in the columns where the inner-lip contour reaches that far; the others show none.
    const mouth = mouthContours(landmarks);
    const before = lowestPerColumn(head.cameraPositions);
    const edge = (x: number) => Math.ceil(before.get(x)!) + 2;
    const shows = (x: number) => before.has(x) && insidePolygon(x + 0.5, edge(x) - 0.5, mouth.inner);
    const pixels = new Float32Array(512 * 512 * 3).fill(0.8);
    for (let y = 0; y < 512; y++)
      for (let x = 0; x < 512; x++) {
        const [cx, cy] = [x + 0.5, y + 0.5];
        const i = 3 * (y * 512 + x);
        if (insidePolygon(cx, cy, mouth.inner))
          pixels.set(shows(x) && y < edge(x) ? [0.95, 0.93, 0.88] : [0.1, 0.05, 0.05], i);
        else if (insidePolygon(cx, cy, mouth.outer)) pixels.set([0.75, 0.45, 0.45], i);
      }
    const got = placeUpperTeeth(head, model, { pixels, width: 512, height: 512 }, mouth, 1);
    const placement = got.placement!;
    expect(placement.columns).toBe([...before.keys()].filter(shows).length);
    expect(placement.columns).toBeGreaterThan(5);
    expect(placement.dropPx).toBeGreaterThan(2);
    expect(placement.dropPx).toBeLessThan(3);
    expect(placement.dropCm).toBeLessThan(MAX_TEETH_DROP_CM);
    // Afterwards the median column's teeth end at the photo's edge (a weak pose moves every point by
    // the same pixels; the small roll shifts some points into the next column).
    const after = lowestPerColumn(got.head.cameraPositions);
    const misses = [...after]
      .filter(([c]) => shows(c))
      .map(([c, b]) => edge(c) - b)
      .sort((a, b) => a - b);
    expect(Math.abs(misses[misses.length >> 1])).toBeLessThan(0.3);
    // Only the upper teeth and the gums above their lowest point moved, each by dropCm down the face.
    const moved = got.head.mesh.positions;
    let changed = 0;
    for (let v = 0; v < positions.length / 3; v++) {
      if (moved[3 * v + 1] === positions[3 * v + 1]) continue;
      changed++;
      expect(moved[3 * v + 1] - positions[3 * v + 1]).toBeCloseTo(-placement.dropCm, 5);
      expect(['teeth', 'gums_and_tongue']).toContain(topology.regionNames[regionOf(head, v)]);
    }
    expect(changed).toBeGreaterThan(upper.length);
    // Closed lips: the head as it was.
    expect(placeUpperTeeth(head, model, { pixels, width: 512, height: 512 }, mouth, 0).head).toBe(head);
  });
});

/** The model region of a split vertex (its first triangle's). */
function regionOf(head: HeadGeometry, v: number): number {
  const t = head.mesh.triangles.indexOf(v);
  return head.topology.regionOfTriangle[Math.floor(t / 3)];
}
