// Page half of conformance.test.ts: every case through the kernels on one device, one call.
import { KernelContext } from '../core/context.ts';
import { KernelError } from '../core/errors.ts';
import { NodeRunner, type NodeCase, type NodeOutput } from './run-node.ts';

export type CaseResult = { outputs: NodeOutput[] } | { error: string; kernelError: boolean };

export async function runCases(device: GPUDevice, { cases }: { cases: NodeCase[] }): Promise<CaseResult[]> {
  const ctx = new KernelContext(device);
  const results: CaseResult[] = [];
  try {
    for (const c of cases) {
      const runner = new NodeRunner(ctx);
      try {
        const placed = runner.run(c);
        const outputs: NodeOutput[] = [];
        for (const p of placed) outputs.push(await runner.read(p));
        results.push({ outputs });
      } catch (e) {
        results.push({ error: (e as Error).message, kernelError: e instanceof KernelError });
      } finally {
        runner.dispose();
      }
    }
    return results;
  } finally {
    ctx.dispose();
  }
}
