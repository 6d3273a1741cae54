import { vitestPreset } from '@avatarme/testing/vitest-preset';

export default vitestPreset('demo', import.meta.dirname, { sharedBrowser: false });
