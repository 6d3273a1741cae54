/**
 * A small PNG codec for the export stage (8-bit, non-interlaced), in plain TypeScript so it runs in
 * Node and in the page alike: the zlib streams go through the platform's CompressionStream.
 * The GLB needs one image the browser's encoder cannot make exactly — grey 255 with the specular
 * strength in alpha (a canvas premultiplies alpha) — and reads back the specular albedo PNG for it.
 */
import type { RgbaImage } from '../image/codec.ts';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes 8-bit grey + alpha (PNG colour type 4), rows unfiltered. */
export async function encodeGreyAlphaPng(
  width: number,
  height: number,
  grey: (i: number) => number,
  alpha: (i: number) => number,
): Promise<Uint8Array> {
  const raw = new Uint8Array(height * (1 + width * 2));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = y * (1 + width * 2) + 1 + x * 2;
      raw[o] = grey(y * width + x);
      raw[o + 1] = alpha(y * width + x);
    }
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header.set([8, 4, 0, 0, 0], 8);
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', await pipe(raw, new CompressionStream('deflate'))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes an 8-bit, non-interlaced grey / grey+alpha / RGB / RGBA PNG to RGBA. */
export async function decodePng(bytes: Uint8Array, name = 'PNG'): Promise<RgbaImage> {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new Error(`${name}: not a PNG`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  for (let o = 8; o + 8 <= bytes.length;) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    const data = bytes.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      channels = CHANNELS[colour] ?? 0;
      if (depth !== 8 || !channels || interlace !== 0)
        throw new Error(
          `${name}: only 8-bit non-interlaced grey/RGB(A) PNGs are read (depth ${depth}, colour ${colour}, interlace ${interlace})`,
        );
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  if (!channels || !idat.length) throw new Error(`${name}: PNG without header or image data`);
  const joined = new Uint8Array(idat.reduce((s, d) => s + d.length, 0));
  idat.reduce((o, d) => (joined.set(d, o), o + d.length), 0);
  const raw = await pipe(joined, new DecompressionStream('deflate'));
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new Error(`${name}: truncated PNG image data`);
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = px.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? px.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels] : 0;
      const c = i >= channels ? up[i - channels] : 0;
      const predictor = [0, a, up[i], (a + up[i]) >> 1, paeth(a, up[i], c)][filter];
      if (predictor === undefined) throw new Error(`${name}: unknown PNG row filter ${filter}`);
      row[i] = (src[i] + predictor) & 0xff;
    }
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = px.subarray(i * channels, (i + 1) * channels);
    const [r, g, b, a] =
      channels === 1
        ? [s[0], s[0], s[0], 255]
        : channels === 2
          ? [s[0], s[0], s[0], s[1]]
          : [s[0], s[1], s[2], channels === 4 ? s[3] : 255];
    data.set([r, g, b, a], i * 4);
  }
  return { width, height, data };
}
