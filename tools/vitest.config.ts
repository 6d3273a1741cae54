import { vitestPreset } from '@avatarme/testing/vitest-preset';

export default vitestPreset('tools', import.meta.dirname);
