import { afterEach, describe, expect, it, vi } from 'vitest';
import { Laps } from './laps.ts';

describe('Laps', () => {
  afterEach(() => vi.restoreAllMocks());

  it('records each step as the rounded time since the previous one', () => {
    const clock = [100, 112.4, 112.6, 150];
    vi.spyOn(performance, 'now').mockImplementation(() => clock.shift()!);
    const laps = new Laps();
    laps.lap('a');
    laps.lap('b');
    laps.lap('c');
    expect(laps.ms).toEqual({ a: 12, b: 0, c: 37 });
  });
});
