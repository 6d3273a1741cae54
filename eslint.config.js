import { dirname, relative, resolve } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/**
 * The layers and what each may import. Product code depends downward only: kernels ← nets ←
 * pipeline ← apps/tools. The browser runtime (Chromium, page server, page session) serves the CLI,
 * the benchmarks and the test harness; @avatarme/testing is for tests only.
 */
const LAYERS = {
  kernels: ['kernels'],
  nets: ['kernels', 'nets'],
  pipeline: ['kernels', 'nets', 'pipeline'],
  'browser-runtime': ['kernels', 'browser-runtime'],
  testing: ['kernels', 'browser-runtime', 'testing'],
  apps: ['kernels', 'nets', 'pipeline', 'apps'],
  tools: ['kernels', 'nets', 'pipeline', 'browser-runtime', 'tools'],
};
/**
 * Tests, page halves of tests (*.gpu.ts), build and test configs, and the benchmarks may also use the
 * browser runtime and the test helpers.
 */
const TEST_FILE = /(\.test\.ts|\.gpu\.ts|vite(st)?(\.lib)?\.config\.ts)$|^tools\/src\/bench\//;
const TEST_LAYERS = ['testing', 'browser-runtime'];

function layerOfPath(rel) {
  const m = /^(?:packages\/([^/]+)|(apps)\/[^/]+|(tools))\//.exec(rel);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function layerOfImport(source, fileDir) {
  const pkg = /^@avatarme\/([^/]+)/.exec(source);
  if (pkg) return { layer: pkg[1] === 'demo' ? 'apps' : pkg[1], relative: false };
  if (source.startsWith('.'))
    return { layer: layerOfPath(relative(ROOT, resolve(fileDir, source))), relative: true };
  return undefined;
}

const layering = {
  meta: {
    type: 'problem',
    messages: {
      upward: '{{from}} must not import {{to}} ("{{source}}"): each layer imports only the layers below it.',
      testOnly:
        '{{to}} serves tests, configs and the benchmarks only ("{{source}}"): import it from *.test.ts, *.gpu.ts or a config.',
      crossRelative:
        '"{{source}}" reaches into {{to}} by a relative path: import it as @avatarme/{{to}} (or its declared subpath).',
      pageEntry: 'page modules run in the browser: import @avatarme/testing/page, not the Node entry.',
    },
    schema: [],
  },
  create(context) {
    const rel = relative(ROOT, context.filename).split('\\').join('/');
    const from = layerOfPath(rel);
    if (!from || !LAYERS[from]) return {};
    const isTest = TEST_FILE.test(rel);
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string') return;
      const target = layerOfImport(source, dirname(context.filename));
      if (!target?.layer) return;
      const data = { from, to: target.layer, source };
      if (target.relative && target.layer !== from)
        context.report({ node, messageId: 'crossRelative', data });
      else if (rel.endsWith('.gpu.ts') && source === '@avatarme/testing')
        context.report({ node, messageId: 'pageEntry', data });
      else if (LAYERS[from].includes(target.layer)) return;
      else if (TEST_LAYERS.includes(target.layer)) {
        if (!isTest) context.report({ node, messageId: 'testOnly', data });
      } else context.report({ node, messageId: 'upward', data });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'out/**', 'reports/**', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', window: 'readonly', navigator: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { avatarme: { rules: { layering } } },
    rules: { 'avatarme/layering': 'error' },
  },
  {
    // Tests call page modules through gpu.module<typeof import('./x.gpu.ts')>(url), which checks the
    // function name and its argument types against the module; a string name checks nothing.
    files: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='call'][callee.object.property.name='page']",
          message: "call page modules through gpu.module<typeof import('./x.gpu.ts')>(url).fn(args)",
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
