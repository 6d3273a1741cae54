import type { ViteUserConfig } from 'vitest/config';

/** The vitest config every project uses (see vitest-preset.js). */
export function vitestPreset(
  project: string,
  dir: string,
  options?: { sharedBrowser?: boolean },
): ViteUserConfig;
