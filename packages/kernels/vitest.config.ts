import { vitestPreset } from '@avatarme/testing/vitest-preset';

export default vitestPreset('kernels', import.meta.dirname);
