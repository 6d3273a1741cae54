import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The workspace's own ESLint configuration, run on snippets placed (by name only) in each layer.
const ROOT = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });
// Spelled in pieces so that a search of packages/ for imports of the tools project finds only real ones.
const TOOLS = 'tools';

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'avatarme/layering').map((m) => m.message);
}

describe('the layering lint rule', () => {
  it('fails a kernel that imports the pipeline, statically or dynamically', async () => {
    expect(
      await layeringErrors(
        'packages/kernels/src/probe/probe.ts',
        "import { reconstruct } from '@avatarme/pipeline';\nexport const r = reconstruct;\n",
      ),
    ).toEqual([
      'kernels must not import pipeline ("@avatarme/pipeline"): each layer imports only the layers below it.',
    ]);
    expect(
      await layeringErrors(
        'packages/nets/src/probe.ts',
        "export const m = () => import('@avatarme/pipeline');\n",
      ),
    ).toHaveLength(1);
  });

  it('fails product code that imports tools or the test helpers, and passes tests that do', async () => {
    expect(
      await layeringErrors(
        'packages/pipeline/src/probe.ts',
        `export { x } from '@avatarme/${TOOLS}/cli/x.ts';\n`,
      ),
    ).toEqual([expect.stringMatching(/^pipeline must not import tools/)]);
    expect(
      await layeringErrors('packages/pipeline/src/probe.ts', "export { rng } from '@avatarme/testing';\n"),
    ).toEqual([expect.stringMatching(/^testing serves tests, configs and the benchmarks only/)]);
    expect(
      await layeringErrors(
        'packages/pipeline/src/probe.test.ts',
        "export { rng } from '@avatarme/testing';\n",
      ),
    ).toEqual([]);
  });

  it('fails a relative path into another package and the Node entry of the helpers in a page module', async () => {
    expect(
      await layeringErrors(
        'packages/nets/src/x/probe.ts',
        "export { Tensor } from '../../../kernels/src/core/tensor.ts';\n",
      ),
    ).toEqual([expect.stringMatching(/reaches into kernels by a relative path/)]);
    expect(
      await layeringErrors('packages/nets/src/x/probe.gpu.ts', "export { rng } from '@avatarme/testing';\n"),
    ).toEqual([expect.stringMatching(/^page modules run in the browser/)]);
  });

  it('passes imports that go down the layers', async () => {
    expect(
      await layeringErrors(
        `${TOOLS}/src/cli/probe.ts`,
        "export { reconstruct } from '@avatarme/pipeline';\nexport { GpuPage } from '@avatarme/browser-runtime';\n",
      ),
    ).toEqual([]);
    expect(
      await layeringErrors('packages/pipeline/src/probe.ts', "export { EsrganNet } from '@avatarme/nets';\n"),
    ).toEqual([]);
  });

  it('fails a test that calls a page function by a string name', async () => {
    const [result] = await eslint.lintText(
      "export const r = (gpu: any) => gpu.page.call(new URL('./x.gpu.ts', import.meta.url), 'fn', {});\n",
      { filePath: resolve(ROOT, 'packages/kernels/src/x/x.test.ts') },
    );
    expect(result.messages.map((m) => m.ruleId)).toEqual(['no-restricted-syntax']);
  });
});
