// `npm test`: formatting and lint, then every project's typecheck and tests through Nx, then one
// closing line that sums the vitest reports: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const reports = join(root, 'reports');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' };

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  return r.status ?? 1;
}

rmSync(reports, { recursive: true, force: true });
let status = step('npx', ['prettier', '--check', '--log-level', 'warn', '.']);
if (status !== 0) console.error('prettier: files above are not formatted (npm run format)');
status ||= step('npx', [
  'nx',
  'run-many',
  '-t',
  'lint',
  'typecheck',
  'test',
  '--parallel=1',
  '--outputStyle=stream',
]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(reports)) {
  for (const f of readdirSync(reports).filter((n) => /^vitest-.*\.json$/.test(n))) {
    const r = JSON.parse(readFileSync(join(reports, f), 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
}
if (status !== 0 && failed === 0) failed = 1; // lint, typecheck or a crashed runner: count it as a failure
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status);
