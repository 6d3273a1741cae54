import { vitestPreset } from '@avatarme/testing/vitest-preset';

export default vitestPreset('pipeline', import.meta.dirname);
