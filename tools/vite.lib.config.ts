import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { workspaceAliases } from '@avatarme/browser-runtime/workspace';

/** Library build for packages/*: ESM, WGSL inlined as strings, dependencies left external. */
export default defineConfig(() => {
  const dir = process.cwd();
  return {
    resolve: { alias: workspaceAliases(resolve(import.meta.dirname, '..')) },
    logLevel: 'warn' as const,
    build: {
      outDir: resolve(dir, 'dist'),
      emptyOutDir: true,
      sourcemap: true,
      minify: false,
      lib: { entry: resolve(dir, 'src/index.ts'), formats: ['es' as const], fileName: 'index' },
      rollupOptions: { external: (id: string) => /^[^./]/.test(id) && !id.endsWith('?raw') },
    },
  };
});
