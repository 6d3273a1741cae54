import { describe, expect, it } from 'vitest';
import { compareArrays, useGpuPage } from '@avatarme/testing';
import { loadConformanceCases, type ConformanceCase } from './cases.ts';
import type { CaseResult } from './conformance.gpu.ts';

const gpu = useGpuPage();
const page = gpu.module<typeof import('./conformance.gpu.ts')>(
  new URL('./conformance.gpu.ts', import.meta.url),
);

// ONNX's backend tests compare float32 outputs with numpy's assert_allclose at rtol 1e-3, atol 1e-7
// (onnx.backend.test.case.test_case.TestCase defaults): the suite's own tolerance, used unchanged.
const TOLERANCE = { rtol: 1e-3, atol: 1e-7 };

type Verdict = { status: 'passed' } | { status: 'not supported' | 'failed'; reason: string };

function judge(c: ConformanceCase, r: CaseResult): Verdict {
  if ('error' in r) return { status: r.kernelError ? 'not supported' : 'failed', reason: r.error };
  for (let i = 0; i < c.expected.length; i++) {
    const want = c.expected[i];
    const got = r.outputs[i];
    if (!got || got.dims.join() !== want.dims.join()) {
      return { status: 'failed', reason: `output ${i} shape [${got?.dims}] vs expected [${want.dims}]` };
    }
    const cmp = compareArrays(got.data, want.data, { ...TOLERANCE, label: `output ${i}` });
    if (!cmp.ok) return { status: 'failed', reason: cmp.message };
  }
  return { status: 'passed' };
}

/** Per op: passed / total and the reason of every case that did not pass (the README's table). */
function table(cases: ConformanceCase[], verdicts: Verdict[]): string {
  const ops = [...new Set(cases.map((c) => c.op))].sort();
  const rows = ops.map((op) => {
    const mine = cases.map((c, i) => ({ c, v: verdicts[i] })).filter(({ c }) => c.op === op);
    const passed = mine.filter(({ v }) => v.status === 'passed').length;
    const others = mine
      .filter(({ v }) => v.status !== 'passed')
      .map(
        ({ c, v }) => `${c.name.replace(/^test_/, '')}: ${v.status}${'reason' in v ? ` (${v.reason})` : ''}`,
      );
    return `| ${op} | ${passed} / ${mine.length} | ${others.join('; ').replaceAll('|', '\\|')} |`;
  });
  return ['| op | passed | not passed, and why |', '| --- | --- | --- |', ...rows].join('\n');
}

describe('ONNX backend node test cases through the WGSL kernels', () => {
  it('every case passes within the suite tolerance or is refused with a KernelError', async () => {
    const cases = loadConformanceCases();
    const t0 = performance.now();
    const results = await page.runCases(
      { cases: cases.map(({ expected: _, ...c }) => c) },
      { timeoutMs: 170_000 },
    );
    const verdicts = cases.map((c, i) => judge(c, results[i] as CaseResult));
    console.log(
      `${cases.length} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s\n${table(cases, verdicts)}`,
    );
    const failed = cases
      .map((c, i) => [c.name, verdicts[i]] as const)
      .filter(([, v]) => v.status === 'failed');
    expect(failed, JSON.stringify(failed, null, 1)).toEqual([]);
  }, 180_000);
});
