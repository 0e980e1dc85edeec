// Packs workspace packages with `npm pack` and installs the tarballs into a fresh project outside
// the repository, as someone who installs the published packages would.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const rootDir = new URL('../../', import.meta.url).pathname;

/**
 * Packs workspaces into `destination` with one `npm pack` (their dist/ must be built: scripts/build-packages.mjs);
 * returns each tarball's path and file list, by package name.
 */
export async function packWorkspaces(
  workspaces: readonly string[],
  destination: string,
): Promise<Map<string, { tarball: string; files: string[] }>> {
  const args = ['pack', '--ignore-scripts', '--pack-destination', destination, '--json'];
  for (const workspace of workspaces) args.push('-w', workspace);
  const { stdout } = await run('npm', args, { cwd: rootDir, maxBuffer: 64 * 1024 * 1024 });
  const results = JSON.parse(stdout) as { name: string; filename: string; files: { path: string }[] }[];
  return new Map(
    results.map((result) => [
      result.name,
      { tarball: join(destination, result.filename), files: result.files.map((file) => file.path) },
    ]),
  );
}

/** A fresh npm project in the system's temporary folder (outside the workspace) with the tarballs installed. */
export async function projectWith(tarballs: string[]): Promise<string> {
  const project = await mkdtemp(join(tmpdir(), 'ai-blocks-outside-'));
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'outside', private: true, type: 'module' }));
  // Dependencies come from the npm cache when they are there (CI has just run `npm ci`).
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], {
    cwd: project,
    maxBuffer: 16 * 1024 * 1024,
  });
  return project;
}

export { run };
