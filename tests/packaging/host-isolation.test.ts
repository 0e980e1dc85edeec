// `npm start`'s host (the built dist/ served by startHostServer, after the build) is cross-origin
// isolated: the page says so, AI Text's CPU model answers on more than one thread and the picker
// says how many, and blocks loaded from an allowed other origin still load and answer.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostServer, type RunningHostServer } from '../../packages/host/src/server/host-server.js';
import { chromiumArgs, findChromium } from '../../scripts/chromium-path.mjs';

const DIST = join(new URL('../../', import.meta.url).pathname, 'dist');

let host: RunningHostServer;
let other: RunningHostServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(DIST, 'host', 'index.html')))
    throw new Error('dist/ is not built: run `node scripts/build.mjs`');
  // A second server on another port is another origin; the host allows blocks from it.
  other = await startHostServer({ distDir: DIST, service: {} });
  host = await startHostServer({ distDir: DIST, service: {}, allowedBlockOrigins: [new URL(other.url).origin] });
  const executablePath = findChromium();
  if (!executablePath) throw new Error("No Chromium: install Debian's chromium package or set CHROME_PATH");
  browser = await chromium.launch({ executablePath, args: chromiumArgs() });
});

afterAll(async () => {
  await browser.close();
  await Promise.all([host.close(), other.close()]);
});

/** Writes a prompt into AI Text, generates with the automatic choice (the CPU model here), and waits for the answer. */
async function generate(page: Page): Promise<void> {
  const text = page.locator('ai-blocks-ai-text');
  await text.locator('#prompt').fill('Hello');
  await text.locator('button[data-action="generate"]').click();
  await text.locator('button[data-action="keep"]').waitFor({ timeout: 60_000 });
}

describe('the host that `npm start` runs, cross-origin isolated', () => {
  it('sends COOP/COEP on the page and CORP/CORS on what it loads', async () => {
    const page = await fetch(host.url);
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('credentialless');
    for (const path of [
      'blocks/ai-text/main.js',
      'runtime-assets/wllama/wasm/wllama.wasm',
      'runtime-assets/engines/wasm.js',
    ]) {
      const response = await fetch(new URL(path, host.url), { method: 'HEAD' });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cross-origin-resource-policy'), path).toBe('cross-origin');
      expect(response.headers.get('access-control-allow-origin'), path).toBe('*');
    }
  });

  it('says the page is isolated, and the CPU model answers on several threads, as the picker says', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${host.url}?db=iso-${String(Date.now())}`);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      const report = page.locator('ai-blocks-host-app .isolation');
      await expect.poll(() => report.getAttribute('data-isolated')).toBe('true');
      expect(await report.textContent()).toContain('Cross-origin isolated');
      await generate(page);
      const threads = (await page.locator('ai-blocks-ai-text [data-threads]').textContent()) ?? '';
      expect(threads).toMatch(/The CPU model runs on [2-9] threads\./);
      expect(threads).toMatch(/^GGUF on the CPU: /);
    } finally {
      await page.close();
    }
  });

  it('loads the blocks from an allowed other origin, and they answer', async () => {
    const page = await browser.newPage();
    try {
      const blocks = `${other.url}blocks/`;
      await page.goto(`${host.url}?db=iso-other-${String(Date.now())}&blocks=${encodeURIComponent(blocks)}`);
      await page.locator('ai-blocks-ai-text #prompt').waitFor({ timeout: 30_000 });
      const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
      expect(loaded).toContain(`${blocks}ai-text/main.js`);
      await generate(page);
      expect(await page.locator('ai-blocks-ai-text [data-threads]').textContent()).toMatch(/runs on [2-9] threads/);
    } finally {
      await page.close();
    }
  });
});
