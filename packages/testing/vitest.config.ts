import { vitestPreset } from '@avatarme/testing/vitest-preset';

export default vitestPreset('testing', import.meta.dirname);
