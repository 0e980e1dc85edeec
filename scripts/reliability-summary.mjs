// Prints the reliability suite's figures (written by the Node and browser tests under test-results/reliability/) and
// exits non-zero when a figure is outside its limits (min/max); a goal is reported, not failed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'test-results', 'reliability');
let files = [];
try {
  files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
} catch {
  // No figures at all is itself a failure below.
}
let failed = 0;
console.log('Reliability figures');
for (const file of files) {
  const { suite, figures } = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  console.log(`  ${suite}`);
  for (const figure of figures) {
    const bad =
      (figure.max !== undefined && figure.value > figure.max) ||
      (figure.min !== undefined && figure.value < figure.min);
    if (bad) failed += 1;
    const target = [
      figure.min !== undefined ? `≥ ${figure.min}` : '',
      figure.max !== undefined ? `≤ ${figure.max}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    // A goal is reported, never failed: the hard limit is `max`.
    const missed = figure.goal !== undefined && figure.value > figure.goal;
    const goal = figure.goal !== undefined ? `, goal ≤ ${figure.goal}${missed ? ': MISSED' : ': met'}` : '';
    const unit = figure.unit ? ` ${figure.unit}` : '';
    const bounds = target ? ` (limit ${target}${goal})` : goal ? ` (${goal.slice(2)})` : '';
    console.log(`    ${bad ? 'FAIL' : 'ok  '} ${figure.label}: ${figure.value}${unit}${bounds}`);
  }
}
if (files.length === 0) {
  console.log('  no figures were recorded');
  failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
