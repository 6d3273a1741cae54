import { vitestPreset } from '@avatarme/testing/vitest-preset';

export default vitestPreset('browser-runtime', import.meta.dirname, { sharedBrowser: false });
