import { vitestPreset } from '../../tools/src/vitest-preset.ts';

export default vitestPreset('pipeline', import.meta.dirname);
