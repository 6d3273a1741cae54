import { describe, expect, it } from 'vitest';
import { modelAssets } from './model-base.ts';

describe('modelAssets', () => {
  it('derives the three model folders from modelBaseUrl, with or without a trailing slash', () => {
    const expected = {
      humanModels: 'https://cdn.example/app/models/human/',
      upscalerModels: 'https://cdn.example/app/models/',
      headModel: 'https://cdn.example/app/models/ict-head/',
    };
    expect(modelAssets({ modelBaseUrl: 'https://cdn.example/app/models/' })).toEqual(expected);
    expect(modelAssets({ modelBaseUrl: 'https://cdn.example/app/models' })).toEqual(expected);
  });

  it('lets an assets entry override the folder derived from the base', () => {
    const a = modelAssets({ modelBaseUrl: 'models/', assets: { headModel: '/my-head/' } });
    expect(a).toEqual({ humanModels: 'models/human/', upscalerModels: 'models/', headModel: '/my-head/' });
  });

  it('leaves assets alone without a base (the workspace dev-server defaults apply)', () => {
    expect(modelAssets({})).toBeUndefined();
    expect(modelAssets({ assets: { humanModels: '/h/' } })).toEqual({ humanModels: '/h/' });
  });
});
