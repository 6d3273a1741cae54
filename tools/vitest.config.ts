import { vitestPreset } from './src/vitest-preset.ts';

export default vitestPreset('tools', import.meta.dirname);
