import { decodeValue, encodeValue } from '@avatarme/browser-runtime/without-browser';

/**
 * Messages between the CLI and the kept browser, over a local socket: a JSON header and the bytes of
 * the typed arrays it names. One frame: u32 (LE) header length, the header (UTF-8 JSON, with `parts`:
 * the byte length of each part), then the parts.
 */
export interface Message {
  [key: string]: unknown;
}

/** One frame holding `message`, its typed arrays moved into binary parts. */
export async function encodeFrame(message: Message): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const value = await encodeValue(message, async (bytes) => String(parts.push(bytes) - 1));
  const header = Buffer.from(JSON.stringify({ value, parts: parts.map((p) => p.byteLength) }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.byteLength);
  return Buffer.concat([length, header, ...parts]);
}

/** Splits a byte stream into frames as they arrive; each complete one is decoded and handed on. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private length = 0;
  /** Bytes the next frame needs before it can be decoded (4 until its header length is known). */
  private needed = 4;

  constructor(private readonly onMessage: (m: Message) => void) {}

  /** Joins the chunks received so far into one (once per frame, not once per chunk). */
  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  async push(chunk: Buffer): Promise<void> {
    this.chunks.push(chunk);
    this.length += chunk.byteLength;
    while (this.length >= this.needed) {
      const buffered = this.joined();
      const headerLength = buffered.readUInt32LE(0);
      if (buffered.byteLength < 4 + headerLength) {
        this.needed = 4 + headerLength;
        return;
      }
      const header = JSON.parse(buffered.subarray(4, 4 + headerLength).toString('utf8')) as {
        value: unknown;
        parts: number[];
      };
      const total = 4 + headerLength + header.parts.reduce((s, n) => s + n, 0);
      if (buffered.byteLength < total) {
        this.needed = total;
        return;
      }
      const parts: Uint8Array[] = [];
      let at = 4 + headerLength;
      for (const n of header.parts) {
        parts.push(buffered.subarray(at, at + n));
        at += n;
      }
      const rest = buffered.subarray(total);
      this.chunks = rest.byteLength ? [rest] : [];
      this.length = rest.byteLength;
      this.needed = 4;
      const message = (await decodeValue(header.value, async (id) => parts[Number(id)])) as Message;
      this.onMessage(message);
    }
  }
}
