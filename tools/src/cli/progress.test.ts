import { describe, expect, it, vi } from 'vitest';
import { ProgressReporter } from './progress.ts';

function reporter(tty = false) {
  const out: string[] = [];
  let t = 0;
  const stream = { write: (s: string) => out.push(s), isTTY: tty, columns: 200 };
  const p = new ProgressReporter(stream, () => t);
  return { p, out, at: (ms: number) => (t = ms) };
}

describe('progress lines', () => {
  it('plain: one line per stage and quarter, with elapsed time and the stage’s estimate', () => {
    const { p, out, at } = reporter();
    p.update({ stage: 'detect', fraction: 0, message: 'loading' });
    at(2000);
    p.update({ stage: 'detect', fraction: 0.1, message: 'still' }); // same quarter: no line
    at(10_000);
    p.update({ stage: 'detect', fraction: 0.5, message: 'half' });
    at(12_000);
    p.update({ stage: 'fit', fraction: 0, message: 'pose' });
    expect(out).toEqual([
      'detect: 0% loading (0 s)\n',
      'detect: 50% half (10 s, ~10 s left in detect)\n',
      'fit: 0% pose (12 s)\n',
    ]);
  });

  it('on a terminal: one bar rewritten in place, a new line per stage', () => {
    const { p, out, at } = reporter(true);
    p.update({ stage: 'upscale', fraction: 0, message: 'window 0/4' });
    at(4000);
    p.update({ stage: 'upscale', fraction: 0.25, message: 'window 1/4' });
    p.done();
    expect(out[1]).toMatch(/^\rupscale {6}█{6}░{18} {2}25% {2}window 1\/4 \(4 s, ~12 s left in upscale\)/);
    expect(out.at(-1)).toBe('\n');
  });

  it('--quiet: no stream, nothing written', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const p = new ProgressReporter(null);
      p.update({ stage: 'detect', fraction: 0.5, message: 'x' });
      p.done();
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });
});
