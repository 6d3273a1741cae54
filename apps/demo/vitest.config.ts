import { vitestPreset } from '../../tools/src/vitest-preset.ts';

export default vitestPreset('demo', import.meta.dirname);
