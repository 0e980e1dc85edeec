// Makes the screenshots in docs/: starts nothing itself; pass the host URL.
// `node scripts/docs-screenshots.mjs http://127.0.0.1:8787/ docs/blocks`
import { chromium } from 'playwright';
import { chromiumArgs, findChromium } from './chromium-path.mjs';

const [url = 'http://127.0.0.1:8787/', outDir = 'docs/blocks'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs() });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
await page.goto(`${url}?db=docs-${Date.now()}`);
const text = page.locator('ai-blocks-ai-text');
await text.locator('#engine').selectOption('wasm');
await text.locator('#prompt').fill('Write the alphabet in lower case.');
await text.locator('button[data-action="generate"]').click();
await text.locator('button[data-action="keep"]').waitFor();
await text.screenshot({ path: `${outDir}/ai-text-generated.png` });
await text.locator('button[data-action="keep"]').click();
await text.locator('[data-save="saved"]').waitFor();
await page.screenshot({ path: `${outDir}/ai-text-in-host.png` });
await browser.close();
console.log(`saved screenshots in ${outDir}`);
