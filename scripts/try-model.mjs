// `npm run try-model -- <url-or-path.gguf> [--prompt "…"] [--threads N] [--max-tokens N] [--context N] [--proxy]`
// Runs any GGUF on the project's in-browser Wasm engine (createWasmEngine on wllama) in headless
// Chromium, exactly as a block would, and streams the reply to the terminal. A local file is
// served from loopback; a URL is fetched by the page itself (the host must send CORS headers, as
// Hugging Face does), or through this script with --proxy. Run with tsx: it imports TypeScript.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startWasmHarness } from '../bench/lib/wasm-page.ts';

const usage =
  'usage: npm run try-model -- <model.gguf | https://…/model.gguf> ' +
  '[--prompt "…"] [--threads N] [--max-tokens N] [--context N] [--proxy]';

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      prompt: { type: 'string', default: 'Write a haiku about the sea.' },
      threads: { type: 'string' },
      'max-tokens': { type: 'string', default: '256' },
      context: { type: 'string', default: '2048' },
      proxy: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const source = positionals[0];
if (values.help || !source || positionals.length > 1) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

/** A whole number ≥ 1 from an option, or exit with a message. */
function count(name, text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a whole number ≥ 1 (got ${text})\n${usage}`);
    process.exit(2);
  }
  return value;
}
const threads = values.threads === undefined ? undefined : count('threads', values.threads);
const maxTokens = count('max-tokens', values['max-tokens']);
const contextSize = count('context', values.context);
const isUrl = /^https?:\/\//i.test(source);
const path = isUrl ? undefined : resolve(source);
if (path && (!existsSync(path) || !statSync(path).isFile())) {
  console.error(`No such file: ${path}\n${usage}`);
  process.exit(2);
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const harness = await startWasmHarness({ onPageLog: (line) => console.error(line) });
// Ctrl-C: close Chromium and the server rather than leaving them behind.
process.once('SIGINT', () => {
  void harness.close().finally(() => process.exit(130));
});
let exitCode = 0;
try {
  const modelUrl = path ? await harness.serveFile(path) : values.proxy ? harness.proxyUrl(source) : source;
  const session = await harness.newSession();
  const tab = await session.newTab();
  const from = path
    ? ` (${mb(statSync(path).size)}, served from ${harness.origin})`
    : values.proxy
      ? ' (through this script)'
      : '';
  console.log(`model: ${path ?? source}${from}`);
  console.log(
    `Chromium ${harness.browserVersion}, cross-origin isolated: ${tab.isolated ? 'yes' : 'no'}, ` +
      `${tab.hardwareConcurrency} hardware threads`,
  );

  // One progress line, rewritten in place on a terminal; in a log, a line per step and per 10 %.
  let lastLine = '';
  let lastTenth = -1;
  const onProgress = (progress) => {
    const bytes = progress.totalBytes
      ? ` (${mb(progress.loadedBytes ?? 0)} of ${mb(progress.totalBytes)})`
      : progress.loadedBytes
        ? ` (${mb(progress.loadedBytes)})`
        : '';
    const line = `${progress.text} ${Math.round(progress.fraction * 100)}%${bytes}`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${line.padEnd(lastLine.length)}`);
      lastLine = line;
    } else {
      const tenth = Math.floor(progress.fraction * 10);
      if (!lastLine.startsWith(progress.text) || tenth > lastTenth) console.log(line);
      lastLine = line;
      lastTenth = tenth;
    }
  };
  // The browser profile is thrown away at the end, so caching the model would only cost memory.
  const loaded = await tab.load(
    { model: modelUrl, contextSize, cache: false, ...(threads === undefined ? {} : { threads }) },
    onProgress,
  );
  if (process.stdout.isTTY) process.stdout.write('\n');
  if (!loaded.ok) {
    console.error(`The model did not load: ${loaded.error ?? 'unknown error'}`);
    if (isUrl && !values.proxy) console.error('If the host sends no CORS headers, try again with --proxy.');
    exitCode = 1;
  } else {
    const asked = threads !== undefined && loaded.threads !== threads ? ` (asked for ${threads})` : '';
    console.log(`loaded in ${seconds(loaded.ms)} on ${loaded.threads} thread(s)${asked}`);
    console.log(`\n> ${values.prompt}\n`);
    let shown = '';
    const result = await tab.generate({ prompt: values.prompt, maxTokens }, (delta) => {
      shown += delta;
      process.stdout.write(delta);
    });
    // The last deltas can arrive after the result: print whatever has not been shown yet.
    if (result.text.startsWith(shown)) process.stdout.write(result.text.slice(shown.length));
    console.log('\n');
    if (result.status !== 'complete') {
      console.error(`The reply ended with ${result.status}: ${result.error ?? ''}`);
      exitCode = 1;
    }
    console.log(
      `${result.outputTokens} tokens, finish: ${result.finishReason ?? '?'}; ` +
        `time to first token ${seconds(result.ttftMs)}; ` +
        `${result.decodeTokensPerSecond.toFixed(1)} tokens/s after it; ${seconds(result.totalMs)} in all`,
    );
  }
  await tab.dispose();
  await session.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  exitCode = 1;
} finally {
  await harness.close();
}
process.exit(exitCode);
