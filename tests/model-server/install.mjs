// Installs node-llama-cpp's prebuilt CPU binaries for the model server, on their own, without
// the ~725 MB of CUDA/Vulkan variants a plain install pulls (--omit=optional), and without
// install scripts (nothing is downloaded or built). Quick when already installed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const wanted = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies['node-llama-cpp'];
const installed = join(here, 'node_modules/node-llama-cpp/package.json');
const binaries = join(here, 'node_modules/@node-llama-cpp/linux-x64/package.json');

export function modelServerInstalled() {
  return (
    existsSync(installed) && existsSync(binaries) && JSON.parse(readFileSync(installed, 'utf8')).version === wanted
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (modelServerInstalled()) {
    console.log(`model server: node-llama-cpp ${wanted} already installed`);
  } else {
    console.log(`model server: installing node-llama-cpp ${wanted} (CPU binaries only)…`);
    // npm install, not npm ci: the registry here lacks some platforms' optional binaries, which npm ci insists on.
    execFileSync('npm', ['install', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: here,
      stdio: 'inherit',
      env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true' },
    });
  }
}
