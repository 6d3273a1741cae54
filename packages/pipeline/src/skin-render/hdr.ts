/** Equirectangular HDR radiance: linear rgb + an unused lane per pixel, row 0 at the top. */
export interface HdrImage {
  width: number;
  height: number;
  data: Float32Array; // width·height·4
}

/**
 * Reads a Radiance RGBE (.hdr) file with flat scanlines — the form the bundled environments are
 * written in (hdri/prepare.mjs), which three.js's HDRLoader also reads (tested). Run-length encoded
 * scanlines and other orientations are refused with the reason.
 */
export function decodeRgbe(bytes: Uint8Array, name = 'HDR'): HdrImage {
  let o = 0;
  const line = () => {
    const end = bytes.indexOf(10, o);
    if (end < 0) throw new Error(`${name}: truncated Radiance header`);
    const s = new TextDecoder('latin1').decode(bytes.subarray(o, end));
    o = end + 1;
    return s;
  };
  if (!line().startsWith('#?')) throw new Error(`${name}: not a Radiance .hdr file`);
  for (let s = line(); s !== ''; s = line())
    if (s.startsWith('FORMAT=') && s !== 'FORMAT=32-bit_rle_rgbe')
      throw new Error(`${name}: unsupported ${s}`);
  const size = /^-Y (\d+) \+X (\d+)$/.exec(line());
  if (!size) throw new Error(`${name}: only "-Y H +X W" orientation is read`);
  const [height, width] = [Number(size[1]), Number(size[2])];
  if (bytes.length - o < width * height * 4)
    throw new Error(
      `${name}: ${bytes.length - o} bytes of pixels for ${width}×${height} flat RGBE (run-length scanlines are not read)`,
    );
  if (width >= 8 && bytes[o] === 2 && bytes[o + 1] === 2)
    throw new Error(`${name}: run-length scanlines are not read`);
  const data = new Float32Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const e = bytes[o + i * 4 + 3];
    const scale = e === 0 ? 0 : 2 ** (e - 136);
    for (let c = 0; c < 3; c++) data[i * 4 + c] = bytes[o + i * 4 + c] * scale;
  }
  return { width, height, data };
}
