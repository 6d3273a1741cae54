import { createReadStream, existsSync, statSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { workspaceAliases } from '@avatarme/browser-runtime/workspace';

const ROOT = resolve(import.meta.dirname, '../..');

/** Model files the pipeline fetches, served under models/ in dev and copied into the built site. */
const MODEL_DIRS: Record<string, string> = {
  human: join(ROOT, 'node_modules/@vladmandic/human/models'),
  '@upscalerjs': join(ROOT, 'node_modules/@upscalerjs'),
  'ict-head': join(ROOT, 'packages/pipeline/models/ict-head'),
};

function modelFiles(): Plugin {
  let outDir = '';
  return {
    name: 'avatarme-model-files',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use('/models/', (req, res, next) => {
        const [top, ...rest] = decodeURIComponent((req.url ?? '').split('?')[0])
          .replace(/^\//, '')
          .split('/');
        const base = MODEL_DIRS[top];
        const file = base && join(base, ...rest);
        if (!file || rest.some((p) => p === '..') || !existsSync(file) || !statSync(file).isFile())
          return next();
        res.setHeader(
          'content-type',
          file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        );
        createReadStream(file).pipe(res);
      });
    },
    async closeBundle() {
      const dest = join(outDir, 'models');
      await mkdir(dest, { recursive: true });
      for (const f of ['blazeface', 'facemesh', 'iris', 'faceres']) {
        for (const ext of ['json', 'bin'])
          await cp(join(MODEL_DIRS.human, `${f}.${ext}`), join(dest, 'human', `${f}.${ext}`));
      }
      await cp(MODEL_DIRS['ict-head'], join(dest, 'ict-head'), { recursive: true });
      for (const pkg of ['esrgan-slim', 'esrgan-medium']) {
        await cp(join(MODEL_DIRS['@upscalerjs'], pkg, 'models'), join(dest, '@upscalerjs', pkg, 'models'), {
          recursive: true,
        });
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: resolve(ROOT, 'assets'),
  resolve: { alias: workspaceAliases(ROOT) },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', fs: { allow: [ROOT] } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  plugins: [modelFiles()],
});
