// Makes sure a Chromium exists for the browser tests: installs Debian's package when running
// as root, otherwise stops with one line saying what to install.
import { execFileSync } from 'node:child_process';
import { findChromium } from './chromium-path.mjs';

if (!findChromium()) {
  if (process.getuid?.() !== 0) {
    console.error(
      'No Chromium found: install Debian\'s "chromium" package (sudo apt-get install chromium) or set CHROME_PATH.',
    );
    process.exit(1);
  }
  console.log('No Chromium found: installing Debian\'s "chromium" package…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!findChromium()) {
    console.error('apt-get finished but /usr/bin/chromium is still missing.');
    process.exit(1);
  }
}
