// AI Text: main-thread time per streamed token for a 2,000- and an 8,000-token Markdown answer
// (the cost of a token must not grow with the answer: goal ratio ≤ 1.5), and the size of the
// block's main file.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { chromiumArgs, findChromium } from '../scripts/chromium-path.mjs';
import { buildBlock } from '../scripts/build-blocks.mjs';

const bundle = await build({
  entryPoints: ['packages/ui/src/markdown/index.ts'],
  bundle: true,
  format: 'iife',
  globalName: 'markdownBench',
  write: false,
  minify: true,
  conditions: ['@ai-blocks/source', 'browser', 'production'],
});
const script = bundle.outputFiles[0]?.text ?? '';

const executablePath = findChromium();
if (!executablePath)
  throw new Error("No Chromium: run npm test once (it installs Debian's chromium) or set CHROME_PATH");
const browser = await chromium.launch({ executablePath, args: chromiumArgs() });
const page = await browser.newPage();
await page.setContent('<!doctype html><div id="out"></div>');
await page.addScriptTag({ content: script });

/** Streams `tokens` tokens of realistic Markdown into a fresh view, rendering after every token. */
async function perToken(tokens: number): Promise<number> {
  return page.evaluate((count) => {
    const words = [
      'the',
      'model',
      'streams',
      'markdown',
      'into',
      'a',
      'view',
      'with',
      '**bold**',
      '`code`',
      'and',
      'links',
    ];
    const pieces: string[] = [];
    for (let index = 0; pieces.length < count; index += 1) {
      const kind = index % 6;
      if (kind === 0) pieces.push(`\n\n## Section ${index}\n\n`);
      else if (kind === 1) for (let item = 0; item < 4; item += 1) pieces.push(`- item ${item} `, 'of the list\n');
      else if (kind === 2) pieces.push('\n```ts\n', 'const value = 1;\n', 'console.log(value);\n', '```\n\n');
      else for (let word = 0; word < 12; word += 1) pieces.push(`${words[(index + word) % words.length] ?? ''} `);
    }
    const container = document.getElementById('out') as HTMLElement;
    container.replaceChildren();
    const view = new (
      window as unknown as {
        markdownBench: {
          renderMarkdownBlock: (source: string) => string;
          StreamingMarkdownView: new (
            element: HTMLElement,
            options: { render: (source: string) => string },
          ) => { append(text: string): void; flush(): void; end(): void };
        };
      }
    ).markdownBench.StreamingMarkdownView(container, {
      render: (window as unknown as { markdownBench: { renderMarkdownBlock: (source: string) => string } })
        .markdownBench.renderMarkdownBlock,
    });
    const started = performance.now();
    for (const piece of pieces.slice(0, count)) {
      view.append(piece);
      view.flush();
    }
    view.end();
    return (performance.now() - started) / count;
  }, tokens);
}

await perToken(500); // warm up
const small = Math.min(await perToken(2000), await perToken(2000));
const large = Math.min(await perToken(8000), await perToken(8000));
await browser.close();

const built = await buildBlock('ai-text', { outDir: 'dist' });
const gzipped = gzipSync(await readFile(built.sourcePath)).length;

console.log(
  'machine: headless Chromium (system), rendering after every token ' +
    '(worst case; the block renders at most once per frame)',
);
console.log(`  main-thread time per token, 2,000-token answer: ${(small * 1000).toFixed(1)} µs`);
console.log(`  main-thread time per token, 8,000-token answer: ${(large * 1000).toFixed(1)} µs`);
console.log(`  ratio 8,000 / 2,000: ${(large / small).toFixed(2)} (goal ≤ 1.5)`);
console.log(
  `  AI Text main file: ${(built.bytes / 1024).toFixed(1)} KiB, ` +
    `${(gzipped / 1024).toFixed(1)} KiB gzipped (budget 60 KB gzipped)`,
);
