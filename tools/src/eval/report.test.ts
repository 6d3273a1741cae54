import { describe, expect, it } from 'vitest';
import { formatRealPhotos } from './report.ts';

describe('real-photo table', () => {
  it('has one row per photo and avatar, and says when no face was found in a render', () => {
    const table = formatRealPhotos({
      'a.png': { ours: { frontal: 0.5204, yaw30: null }, 'a: mean head': { frontal: 0.33, yaw30: 0.348 } },
    }).split('\n');
    expect(table).toEqual([
      '| photo | avatar | frontal | 30° yaw |',
      '| --- | --- | ---: | ---: |',
      '| a.png | ours | 0.520 | no face |',
      '| a.png | a: mean head | 0.330 | 0.348 |',
    ]);
  });
});
