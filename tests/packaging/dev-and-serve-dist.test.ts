import { spawn, type ChildProcess } from 'node:child_process';
import { utimes } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../../scripts/chromium-path.mjs';
import { rootDir } from './pack.js';

// `npm run dev` and `npm run serve:dist` as a person starts them: the command, the URLs it prints,
// and what a browser or another host then fetches from them. serve:dist reads dist/, so this runs
// after the build (scripts/test.mjs).

const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.pid) process.kill(-child.pid, 'SIGTERM');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Starts `npm run <script>` in its own process group; resolves with its output once `ready` matches it. */
function startScript(script: string, port: number, ready: RegExp): Promise<string> {
  const child = spawn('npm', ['run', script], {
    cwd: rootDir,
    env: { ...process.env, PORT: String(port) },
    detached: true,
  });
  started.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`npm run ${script} printed no ${String(ready)} within 90 s:\n${output}`));
    }, 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run ${script} exited (${String(code)}):\n${output}`));
    });
  });
}

describe('npm run serve:dist', () => {
  it('serves dist/ with CORS and prints the three block-metadata.json URLs, which another host can load', async () => {
    const port = await freePort();
    const output = await startScript('serve:dist', port, /ai-chat\/block-metadata\.json/);
    const urls = [...output.matchAll(/(http:\/\/\S+\/block-metadata\.json)/g)].map((match) => match[1] ?? '');
    expect(urls.map((url) => new URL(url).pathname).sort()).toEqual([
      '/blocks/ai-chat/block-metadata.json',
      '/blocks/ai-image/block-metadata.json',
      '/blocks/ai-text/block-metadata.json',
    ]);
    for (const url of urls) {
      const metadata = await fetch(url, { headers: { origin: 'https://hash.example' } });
      expect(metadata.headers.get('access-control-allow-origin')).toBe('*');
      const { source } = (await metadata.json()) as { source: string };
      const main = await fetch(new URL(source, url));
      expect(main.status).toBe(200);
      expect(main.headers.get('content-type')).toContain('javascript');
      expect(main.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(await main.text()).toMatch(/\bexports\.default\s*=/);
    }
    const wasm = await fetch(`http://127.0.0.1:${String(port)}/runtime-assets/wllama/wasm/wllama.wasm`, {
      method: 'HEAD',
    });
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    const preflight = await fetch(urls[0] ?? '', { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
  });
});

describe('npm run dev', () => {
  it('serves the host page with the blocks loaded from their sources', async () => {
    const port = await freePort();
    const output = await startScript('dev', port, /dev server .* at http:\/\/\S+/);
    const url = /at (http:\/\/\S+)/.exec(output)?.[1] ?? '';
    expect(await (await fetch(url)).text()).toContain('src="./main.ts"');
    expect((await fetch(new URL('blocks/ai-text/block-metadata.json', url))).status).toBe(200);

    const executablePath = findChromium();
    const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: chromiumArgs() });
    try {
      const page = await browser.newPage();
      await page.goto(`${url}?db=dev-${String(Date.now())}`);
      // The block renders its composer, and its code came from blocks/ai-text/src, not a built main file.
      await page.locator('ai-blocks-ai-text #prompt').waitFor({ timeout: 60_000 });
      const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
      expect(loaded.some((name) => name.includes('/blocks/ai-text/src/'))).toBe(true);
      expect(loaded.some((name) => name.endsWith('/main.js'))).toBe(false);

      // Hot reload: a block source file changing on disk (only its time here, so the working tree stays as it
      // is) reloads the page, which fetches that module anew — no build in between.
      const source = join(rootDir, 'blocks/ai-text/src/index.ts');
      await page.evaluate(() => {
        (window as { beforeChange?: boolean }).beforeChange = true;
      });
      const refetched = page.waitForRequest((request) => request.url().includes('/blocks/ai-text/src/'), {
        timeout: 30_000,
      });
      const now = new Date();
      await utimes(source, now, now);
      await refetched;
      await page.locator('ai-blocks-ai-text #prompt').waitFor({ timeout: 60_000 });
      expect(await page.evaluate(() => (window as { beforeChange?: boolean }).beforeChange)).toBeUndefined();
    } finally {
      await browser.close();
    }
  });
});
