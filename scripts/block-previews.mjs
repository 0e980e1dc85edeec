// `npx tsx scripts/block-previews.mjs`: the Block Protocol preview image of each block (`image` in its
// block-metadata.json): a 3:2 screenshot, 1200×800, of the real block in the host page's hub-preview mode
// (showing its metadata example), written to block-metadata/<block>/preview.png. Needs a built dist/.
import { join } from 'node:path';
import { chromium } from 'playwright';
import { startHostServer } from '../packages/host/src/server/host-server.ts';
import { rootDir } from './build-blocks.mjs';
import { chromiumArgs, findChromium } from './chromium-path.mjs';

const WIDTH = 1200;
const HEIGHT = 800;
const host = await startHostServer({ distDir: join(rootDir, 'dist'), service: {} });
const executablePath = findChromium();
const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: chromiumArgs() });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${host.url}?preview=1&db=previews-${String(Date.now())}`);
  for (const name of ['ai-text', 'ai-image', 'ai-chat']) {
    const block = page.locator(`ai-blocks-${name}`);
    await block.waitFor({ state: 'attached' });
    // Let the block settle (engine probe, fonts) before the picture.
    await page.waitForTimeout(1500);
    // Only this block on the page: the host's header, side panel and the other blocks hidden.
    await page.evaluate((tag) => {
      const root = document.querySelector('ai-blocks-host-app')?.shadowRoot;
      if (!root) throw new Error('no host app');
      for (const element of root.querySelectorAll('header, aside, .block-section')) {
        const keep = element.classList.contains('block-section') && element.querySelector(tag);
        if (element instanceof HTMLElement) element.style.display = keep ? 'block' : 'none';
      }
    }, `ai-blocks-${name}`);
    // The block's own box set to 3:2 (what does not fit is cut at the bottom), then only it is taken.
    await block.evaluate(
      (element, size) => {
        Object.assign(element.style, {
          display: 'block',
          boxSizing: 'border-box',
          width: `${String(size.width)}px`,
          height: `${String(size.height)}px`,
          overflow: 'hidden',
          padding: '24px',
          background: '#ffffff',
        });
      },
      { width: WIDTH, height: HEIGHT },
    );
    await block.scrollIntoViewIfNeeded();
    const path = join(rootDir, 'block-metadata', name, 'preview.png');
    const box = await block.boundingBox();
    if (!box) throw new Error(`${name}: not on the page`);
    await page.screenshot({ path, clip: { x: Math.round(box.x), y: Math.round(box.y), width: WIDTH, height: HEIGHT } });
    console.log(`saved ${path}`);
  }
} finally {
  await browser.close();
  await host.close();
}
