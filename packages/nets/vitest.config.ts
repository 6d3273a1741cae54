import { vitestPreset } from '@avatarme/testing/vitest-preset';

export default vitestPreset('nets', import.meta.dirname);
