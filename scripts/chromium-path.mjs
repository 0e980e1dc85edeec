// Finds the system Chromium the browser tests drive. We never download a browser build:
// the machines this project runs on reach only the npm registry and Debian's packages.
import { existsSync } from 'node:fs';

/** Path to the Chromium binary: $CHROME_PATH, else Debian's /usr/bin/chromium; undefined when neither exists. */
export function findChromium() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium'].filter(Boolean);
  return candidates.find((path) => existsSync(path));
}

/** Flags for a closed network: without them Chromium keeps trying to reach Google's hosts. */
export function chromiumArgs({ webgpu = false } = {}) {
  const args = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
    '--disable-dev-shm-usage',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  if (webgpu) args.push('--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader');
  return args;
}
