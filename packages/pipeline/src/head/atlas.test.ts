// Node tests of the head atlas, mirror map, skin mask and specular prior on the real ICT model (fails when missing).
import { describe, expect, it } from 'vitest';
import { loadIctModel } from '../morphable/ict-testdata.ts';
import { GUTTER, HEAD_ATLAS, headMeshTopology } from './atlas.ts';
import { vertexNormals } from '../mesh/normals.ts';
import { specularPriorForCanonicalFace } from '../reflectance/specular-prior.ts';
import { prepareHead } from './prepare.ts';
import { specularPriorForHead } from './specular-prior.ts';
import { skinVertices } from './skin.ts';

describe('head atlas on the ICT model', () => {
  it('puts every kept triangle inside its material cell, cells apart, UVs in [0, 1]', async () => {
    const model = await loadIctModel();
    const top = headMeshTopology(model);
    expect(top.regions).toEqual([
      'face',
      'head_and_neck',
      'mouth_socket',
      'eye_socket_left',
      'eye_socket_right',
      'gums_and_tongue',
      'teeth',
      'eyeball_left',
      'eyeball_right',
    ]);
    const kept = model.groups.filter((g) => g.name in HEAD_ATLAS).reduce((n, g) => n + g.count, 0);
    expect(top.triangles.length / 3).toBe(kept);
    let outside = 0;
    for (let t = 0; t < top.triangles.length / 3; t++) {
      const cell = HEAD_ATLAS[top.materials[top.materialOfTriangle[t]]];
      const pad = cell.size * GUTTER * 0.5; // ICT's own tiles keep ≥ 0.2% from their edges
      for (let k = 0; k < 3; k++) {
        const v = top.triangles[3 * t + k];
        const [u, w] = [top.uvs[2 * v], top.uvs[2 * v + 1]];
        const inU = u >= cell.x + pad && u <= cell.x + cell.size - pad;
        if (!inU || w < cell.y + pad || w > cell.y + cell.size - pad) outside++;
      }
    }
    expect(outside).toBe(0);
    // No two cells share space.
    const cells = Object.values(HEAD_ATLAS);
    for (const a of cells)
      for (const b of cells) {
        const overlap = a.x < b.x + b.size && b.x < a.x + a.size && a.y < b.y + b.size && b.y < a.y + a.size;
        expect(a === b || !overlap).toBe(true);
      }
    // Counter-clockwise from outside: the nose tip's normal points forward (+z).
    const normals = vertexNormals(model.neutral, top.modelTriangles);
    expect(normals[3 * model.landmarks[30] + 2]).toBeGreaterThan(0.9);
  });

  it('pairs every vertex with its reflection, and mirror UVs reflect across the face cell', async () => {
    const model = await loadIctModel();
    const { topology: top, mirror } = prepareHead(model);
    let offPlane = 0;
    let involution = 0;
    for (let v = 0; v < mirror.length; v++) {
      const [a, b] = [top.sourceVertex[v], top.sourceVertex[mirror[v]]];
      const d = Math.hypot(
        model.neutral[3 * a] + model.neutral[3 * b],
        model.neutral[3 * a + 1] - model.neutral[3 * b + 1],
        model.neutral[3 * a + 2] - model.neutral[3 * b + 2],
      );
      if (d > 0.05) offPlane++; // 0.5 mm: ICT is symmetric to far better than that
      if (mirror[mirror[v]] === v) involution++;
    }
    expect(offPlane).toBeLessThanOrEqual(2);
    // The mirror of the mirror is the vertex itself except at a few UV-seam copies, where the copy
    // whose triangles mirror best is picked on each side independently.
    expect(involution / mirror.length).toBeGreaterThan(0.99);
    // ICT's face UVs are symmetric about the tile's centre line: the chosen seam copies must agree.
    const face = HEAD_ATLAS.M_Face;
    const centre = face.x + face.size / 2;
    let faceVertices = 0;
    let asymmetric = 0;
    for (let v = 0; v < mirror.length; v++) {
      if (top.uvs[2 * v] >= face.x + face.size || top.uvs[2 * v + 1] >= face.y + face.size) continue;
      faceVertices++;
      const m = mirror[v];
      if (Math.abs(top.uvs[2 * v] + top.uvs[2 * m] - 2 * centre) > 1e-3) asymmetric++;
    }
    expect(faceVertices).toBeGreaterThan(9000);
    expect(asymmetric).toBe(0);
  });

  it('marks bare cheek, nose and chin skin, not eyes, lips, brows, ears or the back of the head', async () => {
    const model = await loadIctModel();
    const skin = skinVertices(model);
    const lm = (i: number) => model.landmarks[i];
    const count = skin.reduce((n, s) => n + s, 0);
    expect(count).toBeGreaterThan(1000);
    for (const i of [36, 39, 42, 45, 48, 51, 54, 57, 19, 24]) expect(skin[lm(i)]).toBe(0);
    const headAndNeck = model.regions.find((r) => r.name === 'head_and_neck')!;
    expect(skin.subarray(headAndNeck.first, headAndNeck.last + 1).every((s) => s === 0)).toBe(true);
    // The nose bridge (landmark 28) and the cheek below the eye corner are skin.
    expect(skin[lm(28)]).toBe(1);
  });
});

describe('specular prior on the head atlas', () => {
  it('puts the nose bump on the nose tip and the cheek bumps symmetric in the face cell', async () => {
    const model = await loadIctModel();
    const blobs = specularPriorForHead(model);
    const canonical = specularPriorForCanonicalFace();
    expect(blobs).toHaveLength(canonical.length);
    const { topology } = prepareHead(model);
    const face = HEAD_ATLAS.M_Face;
    for (const b of blobs) {
      expect(b.u).toBeLessThan(face.x + face.size);
      expect(b.v).toBeLessThan(face.y + face.size);
      expect(b.radius).toBeGreaterThan(0);
    }
    // Nose tip (FaceMesh 1) vs ICT's nose-tip landmark (multi-PIE 30): within a few atlas texels at 512².
    const nose = model.landmarks[30];
    const noseSplit = topology.sourceVertex.findIndex(
      (s, i) => s === nose && topology.uvs[2 * i] < face.size,
    );
    expect(
      Math.hypot(blobs[0].u - topology.uvs[2 * noseSplit], blobs[0].v - topology.uvs[2 * noseSplit + 1]),
    ).toBeLessThan(0.02);
    // Left and right cheek (the last two) mirror each other across the face cell's centre line.
    const [left, right] = blobs.slice(-2);
    expect(Math.abs(left.u + right.u - 2 * (face.x + face.size / 2))).toBeLessThan(0.01);
    expect(Math.abs(left.v - right.v)).toBeLessThan(0.01);
  });
});
