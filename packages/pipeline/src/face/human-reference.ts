// The configuration under which @vladmandic/human serves as the independent reference (tests) and the
// peer (bench) of our face stage: detector and 468-point mesh only, every other model of human off,
// so both sides do the same work.
import type { Config } from '@vladmandic/human';

export function humanFaceMeshConfig(options: {
  backend: 'cpu' | 'webgpu';
  modelBasePath: string;
  maxDetected?: number;
  /** 0 makes every detect() do the whole work instead of reusing the previous frame's boxes. */
  cacheSensitivity?: number;
}): Partial<Config> {
  return {
    backend: options.backend,
    modelBasePath: options.modelBasePath,
    ...(options.cacheSensitivity === undefined ? {} : { cacheSensitivity: options.cacheSensitivity }),
    debug: false,
    warmup: 'none',
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { rotation: false, ...(options.maxDetected ? { maxDetected: options.maxDetected } : {}) },
      mesh: { enabled: true },
      iris: { enabled: false },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
  };
}
