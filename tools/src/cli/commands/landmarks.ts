import { withBrowser } from '../browser.ts';
import { defineCommand } from '../command.ts';
import { writeFileAtomic } from '../files.ts';
import { checkOutputFile } from '../outputs.ts';
import { readPhoto } from '../photo.ts';
import type { LandmarkFace } from '../page/landmarks.gpu.ts';
import { OUTPUT_OPTIONS } from '../spec.ts';

const round = (v: number) => Math.round(v * 1000) / 1000;

/** The JSON the command writes: boxes [x, y, w, h] and 468 [x, y, z] points in image pixels. */
export function landmarksJson(faces: LandmarkFace[]): string {
  const out = faces.map((f) => ({
    box: f.box.map(round),
    score: round(f.score),
    landmarks: f.landmarks.map((p) => p.map(round)),
  }));
  return JSON.stringify({ faces: out }) + '\n';
}

/**
 * BlazeFace + FaceMesh on our kernels. No face: the file still lists `faces: []`, and the command
 * exits with code 2.
 */
export const landmarksCommand = defineCommand(
  {
    name: 'landmarks',
    summary: 'find the faces in a photo and their 468 FaceMesh landmarks (JSON)',
    positional: { name: '<image>', description: 'a PNG, JPEG or WebP photo' },
    options: {
      out: {
        type: 'string',
        value: '<json>',
        required: true,
        description: 'the JSON to write: per face a box [x, y, w, h], a score and 468 [x, y, z] points',
      },
      ...OUTPUT_OPTIONS,
    },
    examples: ['avatarme landmarks assets/astronaut.png --out landmarks.json'],
  },
  async ({ positional: [input], options: { out, force } }, io) => {
    const { bytes } = readPhoto(input);
    checkOutputFile(out, force);
    const t0 = performance.now();
    const r = await withBrowser(
      io,
      async (page) => {
        const res = await page.call<{ width: number; height: number; faces: LandmarkFace[] }>(
          new URL('../page/landmarks.gpu.ts', import.meta.url),
          'landmarksOfImage',
          { bytes, name: input },
        );
        io.info(`${input}: ${res.width}×${res.height}, ${res.faces.length} face(s) on ${page.adapterLine}`);
        return { ...res, adapter: page.adapterLine.replace(/^adapter: /, '') };
      },
      'landmarks',
    );
    writeFileAtomic(out, landmarksJson(r.faces));
    const elapsedMs = performance.now() - t0;
    io.info(`wrote ${out} in ${(elapsedMs / 1000).toFixed(1)} s`);
    const found = r.faces.length > 0;
    return {
      status: found ? 'ok' : 'no-face',
      exitCode: found ? 0 : 2,
      ...(found ? {} : { error: `${input}: no face found` }),
      input,
      outputs: [out],
      faces: r.faces.length,
      adapter: r.adapter,
      elapsedMs: Math.round(elapsedMs),
    };
  },
);
