import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader, type Message } from './frames.ts';

describe('kept-browser frames', () => {
  it('carries JSON and typed arrays, however the stream is cut', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    const stream = Buffer.concat([
      await encodeFrame({ type: 'event', value: { stage: 'detect', fraction: 0.5 } }),
      await encodeFrame({
        type: 'result',
        value: { files: { 'a.png': bytes }, v: new Float32Array([1.5, -2]) },
      }),
    ]);
    for (const cut of [1, 7, 4096, stream.byteLength]) {
      const got: Message[] = [];
      const reader = new FrameReader((m) => got.push(m));
      for (let i = 0; i < stream.byteLength; i += cut) await reader.push(stream.subarray(i, i + cut));
      expect(got).toHaveLength(2);
      expect(got[0]).toEqual({ type: 'event', value: { stage: 'detect', fraction: 0.5 } });
      const value = got[1].value as { files: Record<string, Uint8Array>; v: Float32Array };
      expect(value.files['a.png']).toEqual(bytes);
      expect(value.v).toEqual(new Float32Array([1.5, -2]));
    }
  });
});
