import { parseArgs } from '../args.ts';
import { CliError } from '../errors.ts';
import { readImageFile, writeFileAtomic } from '../files.ts';
import { withGpuPage } from '../page-session.ts';
import type { LandmarkFace } from '../page/landmarks.gpu.ts';

export const LANDMARKS_USAGE = 'avatarme landmarks <image> --out <json>';

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
 * `avatarme landmarks <image> --out <json>`: BlazeFace + FaceMesh on our kernels. No face: the file
 * still lists `faces: []`, and the command exits with code 2.
 */
export async function landmarksCommand(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['out']);
  const [input] = args.positional;
  const out = args.flags.get('out');
  if (!input || !out || args.positional.length > 1) throw new CliError(`usage: ${LANDMARKS_USAGE}`);
  const { bytes } = readImageFile(input);
  const t0 = performance.now();
  const r = await withGpuPage(async (page) => {
    const res = await page.call<{ width: number; height: number; faces: LandmarkFace[] }>(
      new URL('../page/landmarks.gpu.ts', import.meta.url),
      'landmarksOfImage',
      { bytes, name: input },
    );
    console.log(`${input}: ${res.width}×${res.height}, ${res.faces.length} face(s) on ${page.adapterLine}`);
    return res;
  });
  writeFileAtomic(out, landmarksJson(r.faces));
  console.log(`wrote ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (r.faces.length === 0) throw new CliError(`${input}: no face found`, 2);
}
