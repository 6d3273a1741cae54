/**
 * The bad-input matrix of the README: each command line, run in a folder holding the fixtures below,
 * exits with `exit` and prints exactly `message` as its one line on stderr, in seconds and before any
 * browser starts (bad-input.test.ts runs every row).
 *
 * Fixtures: photo.png (the bundled sample), notes.png (text), cut.jpg (a JPEG without its end),
 * huge.png (a 9000×9000 PNG header), taken.png (an existing file), existing/ (holding mesh.obj),
 * a-file (a file).
 */
export const BAD_INPUT: readonly { argv: string; exit: number; message: string }[] = [
  {
    argv: 'reconstruct photo.png --out out --uv-size 4096 --upscale 8',
    exit: 1,
    message:
      "--uv-size 4096 with --upscale 8 makes 32768×32768 maps, above the 8192×8192 limit of the render's textures; lower --uv-size or --upscale",
  },
  {
    argv: 'reconstruct photo.png --out /proc/nope',
    exit: 1,
    message: '/proc/nope: output directory is not writable (ENOENT)',
  },
  {
    argv: 'reconstruct photo.png --out a-file/out',
    exit: 1,
    message: 'a-file/out: output directory is not writable (ENOTDIR)',
  },
  {
    argv: 'reconstruct photo.png --out existing',
    exit: 1,
    message: "existing/mesh.obj: already exists; pass --force to replace avatarme's files in existing",
  },
  {
    argv: 'reconstruct photo.png --out out --uv-size 1e3',
    exit: 1,
    message: '--uv-size 1e3: expected an integer from 64 to 4096',
  },
  {
    argv: 'reconstruct photo.png --out out --upscale 3',
    exit: 1,
    message: '--upscale 3: expected one of 1, 2, 4, 8',
  },
  {
    argv: 'reconstruct photo.png -v --out out',
    exit: 1,
    message: 'unknown option -v (avatarme reconstruct --help lists every option)',
  },
  {
    argv: 'reconstruct photo.png --out out --tile 32 --overlap 32',
    exit: 1,
    message: '--overlap 32: must be smaller than --tile 32',
  },
  {
    argv: 'reconstruct photo.png --out out --shape facemesh --face-model existing',
    exit: 1,
    message: '--face-model is a head model: it needs --shape head (not --shape facemesh)',
  },
  {
    argv: 'reconstruct photo.png --out out --face-model existing',
    exit: 1,
    message:
      'existing: no model.json (import ICT-FaceKit with: avatarme import-face-model <FaceXModel dir> --out <dir>)',
  },
  {
    argv: 'reconstruct photo.png --out out --weights nowhere',
    exit: 1,
    message: 'nowhere: weights directory not found',
  },
  {
    argv: 'reconstruct photo.png ./photo.png --out out',
    exit: 1,
    message: 'photo.png and ./photo.png would both write out/photo (rename one, or put {name} in --out)',
  },
  {
    argv: 'reconstruct *.webp --out out',
    exit: 1,
    message: '*.webp: no file matches',
  },
  {
    argv: 'reconstruct notes.png --out out',
    exit: 1,
    message: 'notes.png: unsupported format (PNG, JPEG or WebP expected)',
  },
  {
    argv: 'reconstruct cut.jpg --out out',
    exit: 1,
    message: 'cut.jpg: truncated JPEG (no end-of-image marker)',
  },
  {
    argv: 'reconstruct huge.png --out out',
    exit: 1,
    message: 'huge.png: 9000×9000 is above the 64-megapixel limit',
  },
  {
    argv: 'reconstruct --out out',
    exit: 1,
    message: 'usage: avatarme reconstruct <image>... --out <dir> [options] (missing <image>)',
  },
  {
    argv: 'upscale photo.png --out taken.png',
    exit: 1,
    message: 'taken.png: already exists; pass --force to replace it',
  },
  {
    argv: 'upscale photo.png extra.png --out big.png',
    exit: 1,
    message:
      'unexpected argument "extra.png" (upscale takes one <image>; avatarme upscale --help lists every option)',
  },
  {
    argv: 'upscale photo.png --model default --scale 4 --out big.png',
    exit: 1,
    message: '--scale 4: expected one of 2',
  },
  {
    argv: 'upscale huge.png --scale 4 --out big.png',
    exit: 1,
    message:
      'huge.png: 9000×9000 ×4 makes 36000×36000, above the PNG limit (32767 a side, 268 megapixels); lower --scale or crop the image',
  },
  {
    argv: 'landmarks photo.png --out /proc/nope/faces.json',
    exit: 1,
    message: '/proc/nope: output directory is not writable (ENOENT)',
  },
  {
    argv: 'landmarks huge.png --out faces.json',
    exit: 1,
    message: 'huge.png: 9000×9000 is above the 64-megapixel limit',
  },
  {
    argv: 'filter photo.png --kernel edges --out edges.png',
    exit: 1,
    message: '--kernel edges: expected one of sobel, blur, sharpen',
  },
  {
    argv: 'random-weights --out weights --ngf 1.5',
    exit: 1,
    message: '--ngf 1.5: expected a positive integer',
  },
  {
    argv: 'import-face-model nowhere --out model',
    exit: 1,
    message: 'nowhere: cannot read directory (ENOENT)',
  },
  {
    argv: 'frobnicate',
    exit: 1,
    message:
      'unknown command "frobnicate" (commands: reconstruct, upscale, landmarks, filter, random-weights, import-face-model; avatarme --help)',
  },
];

/** The matrix as the README shows it. */
export function badInputMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| command line | exit | stderr |',
    '| --- | :-: | --- |',
    ...BAD_INPUT.map((c) => {
      const command = c.argv.split(' ')[0];
      const prefix = c.argv.startsWith('frobnicate') ? 'avatarme' : `avatarme ${command}`;
      return `| \`${cell(`avatarme ${c.argv}`)}\` | ${c.exit} | \`${cell(`${prefix}: ${c.message}`)}\` |`;
    }),
  ].join('\n');
}
