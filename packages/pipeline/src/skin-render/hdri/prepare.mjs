// Makes the bundled environments from the Poly Haven HDRIs that @pmndrs/assets ships (CC0):
// decodes the DWAB-compressed EXR with three's EXRLoader, halves it to 256×128 by 2×2 box averaging
// (the renderer's SH9 and prefiltered maps need no more), and writes flat (uncompressed-scanline)
// Radiance RGBE .hdr files that any HDR tool opens.
//   npm pack @pmndrs/assets@1.7.0 && tar xzf pmndrs-assets-1.7.0.tgz
//   (from the repository root, then move the .hdr files here)
//   node packages/pipeline/src/skin-render/hdri/prepare.mjs package/hdri studio city apartment
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FloatType } from 'three';
import { EXRLoader } from 'three/examples/jsm/loaders/EXRLoader.js';

const [dir, ...names] = process.argv.slice(2);
if (!dir || !names.length) {
  console.error('usage: node prepare.mjs <@pmndrs/assets hdri dir> <name>...');
  process.exit(1);
}
for (const name of names) {
  const js = readFileSync(join(dir, `${name}.exr.js`), 'utf8');
  const b64 = js.slice(js.indexOf('base64,') + 7, js.lastIndexOf("'"));
  const bytes = Buffer.from(b64, 'base64');
  const exr = new EXRLoader()
    .setDataType(FloatType)
    .parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const { width, height, data } = exr;
  const step = exr.format === 1023 ? 4 : data.length / (width * height); // RGBAFormat = 1023
  const w = width / 2;
  const h = height / 2;
  const out = Buffer.alloc(w * h * 4);
  let mean = 0;
  // EXRLoader flips rows (flipY for textures); undo so row 0 is the top (the sky).
  // DWAB is lossy: ringing around the sun leaves a few negative values, which light cannot have.
  const at = (x, y, c) => Math.max(0, data[((height - 1 - y) * width + x) * step + c]);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const rgb = [0, 1, 2].map(
        (c) =>
          (at(2 * x, 2 * y, c) +
            at(2 * x + 1, 2 * y, c) +
            at(2 * x, 2 * y + 1, c) +
            at(2 * x + 1, 2 * y + 1, c)) /
          4,
      );
      mean += (rgb[0] + rgb[1] + rgb[2]) / 3 / (w * h);
      const m = Math.max(...rgb);
      const o = (y * w + x) * 4;
      if (m < 1e-32) continue;
      const e = Math.ceil(Math.log2(m) + 1e-9);
      const scale = 256 / 2 ** e;
      for (let c = 0; c < 3; c++) out[o + c] = Math.min(255, Math.floor(rgb[c] * scale));
      out[o + 3] = e + 128;
    }
  const header = `#?RADIANCE\n# ${name}: Poly Haven HDRI via @pmndrs/assets 1.7.0, CC0 1.0\nFORMAT=32-bit_rle_rgbe\n\n-Y ${h} +X ${w}\n`;
  writeFileSync(`${name}.hdr`, Buffer.concat([Buffer.from(header, 'latin1'), out]));
  console.log(`${name}: ${width}×${height} → ${w}×${h}, mean ${mean.toFixed(3)}`);
}
