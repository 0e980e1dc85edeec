// Makes the screenshots in docs/blocks from a running host (`npm start`); it starts nothing itself.
// `node scripts/docs-screenshots.mjs http://127.0.0.1:8787/ docs/blocks [text] [image] [chat]`
// The image shots need a host whose service answers images (AI_BLOCKS_OPENAI_BASE_URL pointing at
// an images API, e.g. the fault server's images-ok scenario).
import { chromium } from 'playwright';
import { chromiumArgs, findChromium } from './chromium-path.mjs';

const [url = 'http://127.0.0.1:8787/', outDir = 'docs/blocks', ...wanted] = process.argv.slice(2);
const blocks = wanted.length > 0 ? wanted : ['text'];
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs() });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
await page.goto(`${url}?db=docs-${Date.now()}`);

if (blocks.includes('text')) {
  const text = page.locator('ai-blocks-ai-text');
  await text.locator('#engine').selectOption('wasm');
  await text.locator('#prompt').fill('Write the alphabet in lower case.');
  await text.locator('button[data-action="generate"]').click();
  await text.locator('button[data-action="keep"]').waitFor();
  await text.screenshot({ path: `${outDir}/ai-text-generated.png` });
  await text.locator('button[data-action="keep"]').click();
  await text.locator('[data-save="saved"]').waitFor();
  await page.screenshot({ path: `${outDir}/ai-text-in-host.png` });
}

if (blocks.includes('image')) {
  const image = page.locator('ai-blocks-ai-image');
  // The host's service decides the model; tell the block it is dall-e-2 so it offers 4 images.
  await image.evaluate((element) => {
    element.settings = { serviceModel: 'dall-e-2' };
  });
  await image.locator('#prompt').fill('A lighthouse on a cliff at dusk, watercolour');
  await image.locator('#count').selectOption('4');
  await image.locator('button[data-action="generate"]').click();
  await image.locator('[data-candidate="3"]').waitFor();
  await image.locator('[data-candidate="0"] input[type="checkbox"]').check();
  await image.locator('[data-candidate="2"] input[type="checkbox"]').check();
  await image.screenshot({ path: `${outDir}/ai-image-candidates.png` });
  await image.locator('button[data-action="keep"]').click();
  await image.locator('[data-save="saved"]').waitFor();
  await image.scrollIntoViewIfNeeded();
  await image.screenshot({ path: `${outDir}/ai-image-kept.png` });
}

if (blocks.includes('chat')) {
  const chat = page.locator('ai-blocks-ai-chat');
  await chat.locator('#engine').selectOption('wasm');
  const messages = ['Hello! Can you recite the alphabet?', 'Once more, please.'];
  for (const [index, message] of messages.entries()) {
    await chat.locator('#message').fill(message);
    await chat.locator('button[data-action="send"]').click();
    await chat.locator(`article[data-role="assistant"]:not([data-streaming]) >> nth=${index}`).waitFor();
    await chat.locator('[data-streaming]').waitFor({ state: 'detached' });
    await chat.locator('[data-save="saved"]').waitFor();
  }
  await chat.scrollIntoViewIfNeeded();
  await chat.screenshot({ path: `${outDir}/ai-chat-in-host.png` });
}

await browser.close();
console.log(`saved screenshots in ${outDir}`);
