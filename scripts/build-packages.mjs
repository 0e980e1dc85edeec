// `npm run build:packages`: the workspace packages a host or app installs, built to JavaScript with type
// declarations in each package's dist/ (what their `exports` name outside this repository), in dependency order.
// Inside the repository the packages resolve to their sources (the `@ai-blocks/source` condition).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const rootDir = new URL('..', import.meta.url).pathname;

/** Package folders in the order they must build (each after what it imports). */
export const PACKAGE_DIRS = [
  'block-metadata',
  'shared-runtime',
  'packages/persistence',
  'packages/ui',
  'blocks/ai-text',
  'blocks/ai-image',
  'blocks/ai-chat',
];

/** Runs tsc for each package (or the ones named); throws on the first that fails. */
export function buildPackages(dirs = PACKAGE_DIRS) {
  const tsc = join(rootDir, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const dir of dirs) {
    const { status } = spawnSync(process.execPath, [tsc, '-p', join(rootDir, dir, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
    if (status !== 0) throw new Error(`${dir}: tsc failed (status ${String(status)})`);
    console.log(`built ${dir} → ${dir}/dist/`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) buildPackages();
