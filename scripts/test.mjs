// `npm test`: lint, formatting, typecheck, the Node tests, the build and its size budgets, the browser tests (timed
// ones first and alone, then plain, WebGPU and cross-origin isolated) and the reliability suite's figures. Every step
// runs even when an earlier one fails, so one run shows everything that is wrong; the exit code is non-zero if any step
// failed.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const steps = [
  ['chromium', 'node', ['scripts/ensure-chromium.mjs']],
  ['model server install', 'node', ['tests/model-server/install.mjs']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  // Formatting is checked, never rewritten, by the test run (`npm run format` rewrites).
  ['format', 'npx', ['prettier', '--check', '.']],
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['node tests', 'npx', ['vitest', 'run']],
  ['build', 'node', ['scripts/build.mjs']],
  // The built main files against their size budgets (they read dist/, so after the build).
  ['size budgets', 'npx', ['vitest', 'run', '--config', 'vitest.budgets.config.ts']],
  // The packages packed and used outside the repository, and the types served over HTTP (about a minute).
  ['packaging', 'npx', ['vitest', 'run', '--config', 'vitest.packaging.config.ts']],
  ['timed browser tests', 'npx', ['web-test-runner', '--config', 'web-test-runner.timing.config.mjs']],
  ['browser tests', 'npx', ['web-test-runner']],
  ['isolated browser tests', 'npx', ['web-test-runner', '--config', 'web-test-runner.isolated.config.mjs']],
  // The figures the reliability suite's tests recorded, checked against their targets.
  ['reliability figures', 'node', ['scripts/reliability-summary.mjs']],
];

// Figures from an earlier run must not stand in for this one's.
rmSync('test-results/reliability', { recursive: true, force: true });

const results = [];
for (const [name, command, args] of steps) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  results.push({ name, ok: status === 0, seconds: (Date.now() - started) / 1000 });
  // Without a browser the browser steps cannot run at all.
  if ((name === 'chromium' || name === 'model server install') && status !== 0) break;
}

console.log('\nSummary');
for (const { name, ok, seconds } of results) {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds.toFixed(1)} s)`);
}
const failed = results.filter((result) => !result.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length === steps.length ? 0 : 1);
