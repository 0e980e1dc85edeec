// Makes the screenshots in docs/blocks from a running host (`npm start`); it starts nothing itself.
// `node scripts/docs-screenshots.mjs http://127.0.0.1:8787/ docs/blocks [text] [image] [chat]`
// Each block is shot light at 1400 px (in the host), dark (the page follows prefers-color-scheme)
// and at a phone's 390 px; AI Text with its picker open, AI Chat with "Connect a model" open.
// The image shots need a host whose service answers images (AI_BLOCKS_OPENAI_BASE_URL pointing at
// an images API), e.g. the fault server's images-ok scenario, which prints its base URL:
//   npx tsx --conditions=@ai-blocks/source -e "import('./tests/servers/fault-server.ts')
//     .then(async (m) => console.log((await m.startFaultServer()).baseUrl('images-ok')))"
//   AI_BLOCKS_OPENAI_BASE_URL=<that URL> npm start
// At 390 px it also checks that nothing is wider than the screen and prints what is.
import { chromium } from 'playwright';
import { chromiumArgs, findChromium } from './chromium-path.mjs';

const [url = 'http://127.0.0.1:8787/', outDir = 'docs/blocks', ...wanted] = process.argv.slice(2);
const blocks = wanted.length > 0 ? wanted : ['text'];
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs() });
const WIDE = { width: 1400, height: 1000 };
const PHONE = { width: 390, height: 844 };
const problems = [];

/** A fresh host page (its own database) in the given colour scheme and viewport. */
async function openHost({ viewport = WIDE, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  await page.goto(`${url}?db=docs-${String(Date.now())}`);
  return page;
}

/** Opens the picker's one line (a disclosure) so its engine list, reasons and models can be used. */
async function openPicker(block) {
  const picker = block.locator('details.engine-picker');
  if (!(await picker.evaluate((element) => element.open))) await block.locator('[data-engine-line]').click();
}

async function closePicker(block) {
  const picker = block.locator('details.engine-picker');
  if (await picker.evaluate((element) => element.open)) await block.locator('[data-engine-line]').click();
}

/** Chooses an engine in the picker and folds the picker back to its one line. */
async function chooseEngine(block, engineId) {
  await openPicker(block);
  await block.locator('#engine').selectOption(engineId);
  await closePicker(block);
}

/** Shoots one element, and notes when it (or the page) is wider than a phone's screen. */
async function shoot(page, locator, name) {
  await locator.scrollIntoViewIfNeeded();
  await locator.screenshot({ path: `${outDir}/${name}` });
  const viewport = page.viewportSize();
  if (viewport?.width !== PHONE.width) return;
  const widths = await locator.evaluate((element) => ({
    page: document.documentElement.scrollWidth,
    block: element.getBoundingClientRect().right,
    inside: Math.max(
      0,
      ...[...(element.shadowRoot ?? element).querySelectorAll('*')].map((child) => child.getBoundingClientRect().right),
    ),
  }));
  if (Math.max(widths.page, widths.block, widths.inside) > viewport.width)
    problems.push(`${name}: wider than ${String(viewport.width)} px (${JSON.stringify(widths)})`);
}

async function generateText(page, prompt) {
  const text = page.locator('ai-blocks-ai-text');
  await chooseEngine(text, 'wasm');
  await text.locator('#prompt').fill(prompt);
  await text.locator('button[data-action="generate"]').click();
  await text.locator('button[data-action="keep"]').waitFor();
  return text;
}

async function chatTwice(page) {
  const chat = page.locator('ai-blocks-ai-chat');
  await chooseEngine(chat, 'wasm');
  const messages = ['Hello! Can you recite the alphabet?', 'Once more, please.'];
  for (const [index, message] of messages.entries()) {
    await chat.locator('#message').fill(message);
    await chat.locator('button[data-action="send"]').click();
    await chat.locator(`article[data-role="assistant"]:not([data-streaming]) >> nth=${String(index)}`).waitFor();
    await chat.locator('[data-streaming]').waitFor({ state: 'detached' });
    await chat.locator('[data-save="saved"]').waitFor();
  }
  return chat;
}

async function imageCandidates(page, count) {
  const image = page.locator('ai-blocks-ai-image');
  // The host's service decides the model; tell the block it is dall-e-2 so it offers 4 images.
  await image.evaluate((element) => {
    element.settings = { serviceModel: 'dall-e-2' };
  });
  await image.locator('#prompt').fill('A lighthouse on a cliff at dusk, watercolour');
  await image.locator('#count').selectOption(String(count));
  // The fault server makes pictures of at most 256 px: ask for that, so the sizes shown agree.
  await image.locator('#size').selectOption('256x256');
  await image.locator('button[data-action="generate"]').click();
  await image.locator(`[data-candidate="${String(count - 1)}"]`).waitFor();
  await image.locator('[data-candidate="0"] input[type="checkbox"]').check();
  return image;
}

const page = await openHost();

if (blocks.includes('text')) {
  const text = page.locator('ai-blocks-ai-text');
  // The picker open: the engine list, why the others cannot run, the in-browser models.
  await chooseEngine(text, 'wasm');
  await openPicker(text);
  await text.locator('.engine-notes > summary').click();
  await text.locator('.model-picker > summary').click();
  await text.locator('[data-storage]').waitFor();
  await shoot(page, text, 'ai-text-picker.png');
  await closePicker(text);

  await generateText(page, 'Write the alphabet in lower case.');
  await shoot(page, text, 'ai-text-generated.png');
  await text.locator('button[data-action="keep"]').click();
  await text.locator('[data-save="saved"]').waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${outDir}/ai-text-in-host.png` });

  for (const [variant, options] of [
    ['dark', { colorScheme: 'dark' }],
    ['phone', { viewport: PHONE }],
  ]) {
    const other = await openHost(options);
    const block = await generateText(other, 'Write the alphabet in lower case.');
    await shoot(other, block, `ai-text-${variant}.png`);
    await other.context().close();
  }
}

if (blocks.includes('image')) {
  const image = await imageCandidates(page, 4);
  await image.locator('[data-candidate="2"] input[type="checkbox"]').check();
  await shoot(page, image, 'ai-image-candidates.png');
  await image.locator('button[data-action="keep"]').click();
  await image.locator('[data-save="saved"]').waitFor();
  await shoot(page, image, 'ai-image-kept.png');
  // The large view of a kept image: prompt, pixel size, model, Download.
  await image.locator('[data-kept] button[data-action="open"] >> nth=0').click();
  await image.locator('dialog.viewer [data-detail="size"]').waitFor();
  await image.locator('dialog.viewer').screenshot({ path: `${outDir}/ai-image-large.png` });
  await image.locator('dialog.viewer').evaluate((dialog) => dialog.close());

  for (const [variant, options] of [
    ['dark', { colorScheme: 'dark' }],
    ['phone', { viewport: PHONE }],
  ]) {
    const other = await openHost(options);
    const block = await imageCandidates(other, 2);
    await shoot(other, block, `ai-image-${variant}.png`);
    await other.context().close();
  }
}

if (blocks.includes('chat')) {
  // "Connect a model" open with the Ollama preset: an address, no key.
  const chat = page.locator('ai-blocks-ai-chat');
  await openPicker(chat);
  await chat.locator('button[data-action="open-connect"]').click();
  await chat.locator('#connect-service').selectOption('ollama');
  await shoot(page, chat.locator('details.engine-picker'), 'ai-chat-connect.png');
  await chat.locator('button[data-action="cancel-connect"]').click();
  await closePicker(chat);

  await chatTwice(page);
  await shoot(page, chat, 'ai-chat-in-host.png');

  for (const [variant, options] of [
    ['dark', { colorScheme: 'dark' }],
    ['phone', { viewport: PHONE }],
  ]) {
    const other = await openHost(options);
    const block = await chatTwice(other);
    await shoot(other, block, `ai-chat-${variant}.png`);
    await other.context().close();
  }
}

await browser.close();
for (const problem of problems) console.log(`[too wide] ${problem}`);
console.log(`saved screenshots in ${outDir}`);
