import { vitestPreset } from '../../tools/src/vitest-preset.ts';

export default vitestPreset('nets', import.meta.dirname);
