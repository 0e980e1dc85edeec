// `npm run bench`: runs every bench/*.bench.ts (or the ones named on the command line) with tsx,
// one after another, and prints what each reports. Speed and size targets live here, not in tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const requested = process.argv.slice(2);
const files = readdirSync(new URL('../bench/', import.meta.url))
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => requested.length === 0 || requested.some((wanted) => name.includes(wanted)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n▶ bench/${file}`);
  const { status } = spawnSync('npx', ['tsx', '--conditions=@ai-blocks/source', `bench/${file}`], {
    stdio: 'inherit',
  });
  if (status !== 0) failed += 1;
}
console.log(`\n${files.length - failed} benchmark files ran, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
