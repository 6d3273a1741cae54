import { vitestPreset } from '../../tools/src/vitest-preset.ts';

export default vitestPreset('kernels', import.meta.dirname);
