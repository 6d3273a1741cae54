import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rolldown } from 'rolldown';
import { dts } from 'rolldown-plugin-dts';
import { defineConfig, type Plugin } from 'vite';

/** Sibling packages: always external, and only their package root exists in a published tarball. */
const SIBLING_DEEP = /(["'])(@avatarme\/(?:kernels|nets|pipeline))\/[^"']+\1/g;

/**
 * A source file may import a sibling's module by path (`@avatarme/kernels/conv/geometry.ts`); the
 * tarball ships only dist/, so the built files import the sibling's root instead, and the build fails
 * when a name taken that way is missing from the root's export list (kept in sync by hand).
 */
function siblingRoots(): Plugin {
  return {
    name: 'avatarme-sibling-roots',
    renderChunk(code, chunk) {
      const rewritten = code.replace(SIBLING_DEEP, '$1$2$1');
      if (chunk.fileName.endsWith('.js')) checkRootExports(code);
      return rewritten === code ? null : { code: rewritten, map: null };
    },
  };
}

/**
 * dist/index.d.ts, written after the JavaScript: rolldown-plugin-dts runs tsc on the sources and rolls
 * the per-module declarations into one file, so a consumer sees no `.ts` import paths, `?raw` modules
 * or sibling internals. (Run as its own rolldown pass: inside Vite's pass Vite treats the declaration
 * chunks as JavaScript.)
 */
function declarations(dir: string): Plugin {
  return {
    name: 'avatarme-declarations',
    apply: 'build',
    async closeBundle() {
      const bundle = await rolldown({
        input: resolve(dir, 'src/index.ts'),
        cwd: dir,
        logLevel: 'warn',
        external: (id) => /^[^./]/.test(id),
        plugins: [
          dts({
            dtsOnly: true,
            tsconfig: resolve(dir, 'tsconfig.json'),
            // Siblings resolve as installed packages (external), not through the workspace's paths.
            compilerOptions: { paths: {}, noEmit: false },
          }),
          siblingRoots(),
          {
            name: 'avatarme-webgpu-types',
            // The declarations name GPUDevice & co.: a consumer's tsc gets them from @webgpu/types.
            renderChunk: (code) => `/// <reference types="@webgpu/types" />\n${code}`,
          },
        ],
        checks: { pluginTimings: false },
      });
      await bundle.write({
        dir: resolve(dir, 'dist'),
        format: 'es',
      });
      await bundle.close();
    },
  };
}

function checkRootExports(code: string): void {
  const imports = /import\s*\{([^}]*)\}\s*from\s*["'](@avatarme\/(kernels|nets|pipeline))\/[^"']+["']/g;
  for (const [, names, pkg, dir] of code.matchAll(imports)) {
    const built = resolve(import.meta.dirname, '../packages', dir, 'dist/index.js');
    let exported: Set<string>;
    try {
      const tail = readFileSync(built, 'utf8').match(/export\s*\{([^}]*)\};?\s*(\/\/#.*)?\s*$/);
      exported = new Set(
        (tail?.[1] ?? '').split(',').map((s) =>
          s
            .trim()
            .split(/\s+as\s+/)
            .pop()!,
        ),
      );
    } catch {
      throw new Error(`${pkg}: build it before its dependents (${built} is missing)`);
    }
    for (const name of names.split(',').map((s) => s.trim().split(/\s+as\s+/)[0])) {
      if (name && !exported.has(name))
        throw new Error(`${pkg} does not export ${name} from its root (add it to its src/index.ts)`);
    }
  }
}

/**
 * Library build for packages/kernels, nets and pipeline: one ESM file per package with the WGSL (and
 * the three small HDR environments, as data URLs) inlined, dependencies left external, and one
 * bundled declaration file.
 */
export default defineConfig(() => {
  const dir = process.cwd();
  return {
    logLevel: 'warn' as const,
    plugins: [siblingRoots(), declarations(dir)],
    build: {
      outDir: resolve(dir, 'dist'),
      emptyOutDir: true,
      sourcemap: true,
      minify: false,
      lib: { entry: resolve(dir, 'src/index.ts'), formats: ['es' as const], fileName: 'index' },
      rollupOptions: {
        external: (id: string) => /^[^./]/.test(id) && !id.endsWith('?raw') && !id.endsWith('?url'),
      },
    },
  };
});
