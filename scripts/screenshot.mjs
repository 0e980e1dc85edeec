// Takes a screenshot of a page with the system Chromium: `node scripts/screenshot.mjs URL OUT.png [width] [height]
// [waitMs]`. Used to make the screenshots in docs/.
import { chromium } from 'playwright';
import { chromiumArgs, findChromium } from './chromium-path.mjs';

const [url, out, width = '1400', height = '1000', waitMs = '1500'] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: node scripts/screenshot.mjs URL OUT.png [width] [height] [waitMs]');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs() });
const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
page.on('console', (message) => console.log(`[page ${message.type()}] ${message.text()}`));
page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
await page.goto(url);
await page.waitForTimeout(Number(waitMs));
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(`saved ${out}`);
