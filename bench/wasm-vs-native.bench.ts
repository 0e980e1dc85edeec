// The Wasm engine (createWasmEngine on wllama, in headless Chromium) against native llama.cpp
// (node-llama-cpp) on the same GGUF, prompt, greedy decoding and thread count: decode tokens
// per second, time to first token, load time (cold: empty cache; cached: a second page loading
// from the Cache API), and the browser/native speed ratio (goal ≥ 0.5). Two generated models:
// the tiny test model and one with SmolLM2-135M's dimensions (random weights, real compute).
// The Wasm engine also runs on a page that is not cross-origin isolated (one thread, no
// SharedArrayBuffer): what most embedding pages, HASH included, give a block.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateLlamaGguf,
  SMOLLM2_135M_SHAPE,
  TINY_MODEL_EXPECTED,
  TINY_SHAPE,
  type LlamaShape,
} from '@ai-blocks/test-models';
import { startNative, type NativeRunner } from './lib/native-llama.js';
import { startWasmHarness, type WasmHarness } from './lib/wasm-page.js';

/**
 * A cap only: both generated models answer any chat with the alphabet and then end of sequence
 * (their weights are hand-set, and the chat template always ends with `:`), so every run
 * produces exactly 26 tokens on both sides.
 */
const MAX_TOKENS = 128;
// About 55 prompt tokens with the chat template (one token per character): prompt processing in
// Wasm is slow (seconds on the larger model), and the whole benchmark must stay near 3 minutes.
const PROMPT = 'Why does the sky look blue at noon?';
/**
 * A different first token per run, so wllama cannot reuse the previous run's prompt from its KV cache (native clears
 * it).
 */
const promptFor = (run: number) => `${String(run + 1)}. ${PROMPT}`;

interface ModelCase {
  label: string;
  file: string;
  shape: LlamaShape;
  contextSize: number;
  runs: number;
}

const MODELS: ModelCase[] = [
  { label: 'tiny (0.44 MB f32)', file: 'tiny.gguf', shape: TINY_SHAPE, contextSize: 512, runs: 5 },
  {
    label: 'SmolLM2-135M-shaped (175 MB Q8_0)',
    file: 'smollm2-135m-shaped.gguf',
    shape: SMOLLM2_135M_SHAPE,
    contextSize: 2048,
    runs: 3,
  },
];

interface Row {
  model: string;
  threads: number;
  engine: 'wasm (Chromium)' | 'native';
  /** Whether the page was cross-origin isolated (Wasm rows). */
  page?: 'isolated' | 'not isolated';
  /** Where llama.cpp ran the GGUF in the page (`WasmEngine.backendText`). */
  backend?: string;
  loadMs?: number;
  cachedLoadMs?: number;
  ttftMs?: number;
  tokensPerSecond?: number;
  outputTokens?: number;
  inputTokens?: number;
  /** The reply differed from the expected alphabet. */
  wrongText?: boolean;
  note?: string;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
/** A browser/native speed ratio and whether it meets the goal. */
const againstGoal = (ratio: number) => `${ratio.toFixed(2)} (goal ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'})`;
const ms = (value: number | undefined) =>
  value === undefined ? '—' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;

async function runWasm(
  harness: WasmHarness,
  modelUrl: string,
  model: ModelCase,
  threads: number,
  page: NonNullable<Row['page']>,
): Promise<Row> {
  const row: Row = { model: model.label, threads, engine: 'wasm (Chromium)', page };
  // A fresh context has empty storage, so the first load downloads and the second (a new page
  // in the same context, like a reload) reads the Cache API.
  const session = await harness.newSession();
  try {
    const tab = await session.newTab();
    const cold = await tab.load({ model: modelUrl, threads, contextSize: model.contextSize });
    if (!cold.ok) return { ...row, note: `load failed: ${cold.error ?? ''}` };
    if (cold.threads !== threads) row.note = `ran on ${String(cold.threads)} thread(s)`;
    row.loadMs = cold.ms;
    if (cold.backend) row.backend = cold.backend;
    const ttft: number[] = [];
    const speed: number[] = [];
    for (let run = 0; run < model.runs; run += 1) {
      const result = await tab.generate({ prompt: promptFor(run), maxTokens: MAX_TOKENS });
      if (result.status !== 'complete') return { ...row, note: `generation ${result.status}: ${result.error ?? ''}` };
      if (result.text !== TINY_MODEL_EXPECTED.chatReply) row.wrongText = true;
      ttft.push(result.ttftMs);
      speed.push(result.decodeTokensPerSecond);
      row.outputTokens = result.outputTokens;
      // wllama's stream carries no prompt token count (the engine reports 0).
      if (result.inputTokens) row.inputTokens = result.inputTokens;
    }
    row.ttftMs = median(ttft);
    row.tokensPerSecond = median(speed);
    await tab.dispose();
    await tab.close();
    const again = await session.newTab();
    const cached = await again.load({ model: modelUrl, threads, contextSize: model.contextSize });
    if (cached.ok && cached.fromCache) row.cachedLoadMs = cached.ms;
    else
      row.note = [
        row.note,
        cached.ok
          ? `second load not from the cache${cold.cacheError ? ` (${cold.cacheError})` : ''}`
          : `second load failed: ${cached.error ?? ''}`,
      ]
        .filter(Boolean)
        .join('; ');
    await again.dispose();
    return row;
  } finally {
    await session.close();
  }
}

async function runNative(native: NativeRunner, path: string, model: ModelCase, threads: number): Promise<Row> {
  const row: Row = { model: model.label, threads, engine: 'native' };
  const loaded = await native.load(path, { threads, contextSize: model.contextSize });
  try {
    row.loadMs = loaded.loadMs;
    const ttft: number[] = [];
    const speed: number[] = [];
    for (let run = 0; run < model.runs; run += 1) {
      const result = await loaded.generate(promptFor(run), MAX_TOKENS);
      if (result.text !== TINY_MODEL_EXPECTED.chatReply) row.wrongText = true;
      ttft.push(result.ttftMs);
      speed.push(result.decodeTokensPerSecond);
      row.outputTokens = result.outputTokens;
      row.inputTokens = result.inputTokens;
    }
    row.ttftMs = median(ttft);
    row.tokensPerSecond = median(speed);
    return row;
  } finally {
    await loaded.dispose();
  }
}

function printTable(rows: string[][]): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const [index, row] of rows.entries()) {
    console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd());
    if (index === 0) console.log(`  ${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  }
}

const started = performance.now();
// Other work on the machine changes these numbers a lot (threads that spin-wait suffer most), so the run says how busy
// it was.
const loadBefore = loadavg()[0] ?? 0;
const directory = await mkdtemp(join(tmpdir(), 'bench-wasm-native-'));
const rows: Row[] = [];
let failed = false;
let harness: WasmHarness | undefined;
let plainHarness: WasmHarness | undefined;
const wllamaVersion = (
  JSON.parse(await readFile(new URL('../node_modules/@wllama/wllama/package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
try {
  const paths = new Map<ModelCase, string>();
  for (const model of MODELS) {
    const path = join(directory, model.file);
    await writeFile(path, generateLlamaGguf(model.shape));
    paths.set(model, path);
  }
  const pageLog: string[] = [];
  harness = await startWasmHarness({ onPageLog: (line) => pageLog.push(line) });
  // The same page without COOP/COEP: the single-thread path most embedding pages get.
  plainHarness = await startWasmHarness({ onPageLog: (line) => pageLog.push(line), crossOriginIsolated: false });
  const probe = await harness.newSession();
  const probeTab = await probe.newTab();
  const { isolated, hardwareConcurrency } = probeTab;
  await probe.close();
  // Threads in wllama need SharedArrayBuffer, i.e. a cross-origin isolated page.
  const threadCounts = isolated ? [1, 2] : [1];
  let native: NativeRunner | undefined;
  let nativeError: string | undefined;
  try {
    native = await startNative();
  } catch (error) {
    nativeError = error instanceof Error ? error.message : String(error);
  }

  for (const model of MODELS) {
    const path = paths.get(model) ?? '';
    const url = await harness.serveFile(path);
    rows.push(await runWasm(plainHarness, await plainHarness.serveFile(path), model, 1, 'not isolated'));
    for (const threads of threadCounts) {
      rows.push(await runWasm(harness, url, model, threads, isolated ? 'isolated' : 'not isolated'));
      rows.push(
        native
          ? await runNative(native, path, model, threads)
          : { model: model.label, threads, engine: 'native', note: 'not run (see below)' },
      );
    }
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `machine: ${String(cpus().length)} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ` +
      `headless Chromium ${harness.browserVersion}; 1-minute load average before the run ${loadBefore.toFixed(2)}, ` +
      `after ${(loadavg()[0] ?? 0).toFixed(2)}`,
  );
  const backends = [...new Set(rows.map((row) => row.backend).filter(Boolean))];
  console.log(
    `wllama ${wllamaVersion}; ${new Date().toISOString().slice(0, 10)}; ` +
      `where llama.cpp ran: ${backends.join(' / ') || 'not reported'}`,
  );
  console.log(
    `page cross-origin isolated: ${isolated ? 'yes' : 'no'} (hardwareConcurrency ${String(hardwareConcurrency)}); ` +
      `thread counts run: ${threadCounts.join(', ')}`,
  );
  const runsPerModel = MODELS.map((model) => `${model.label}: ${String(model.runs)} runs`).join(', ');
  console.log(
    `prompt: "N. ${PROMPT}" (N = run), greedy, max ${String(MAX_TOKENS)} tokens; ${runsPerModel}; ` +
      `medians; ${seconds} s in all`,
  );
  const table = [
    ['model', 'threads', 'engine', 'page', 'load (cold)', 'load (cached)', 'TTFT', 'tokens/s', 'tokens in/out', 'note'],
  ];
  for (const row of rows) {
    table.push([
      row.model,
      String(row.threads),
      row.engine,
      row.page ?? '',
      ms(row.loadMs),
      row.engine === 'native' ? 'n/a' : ms(row.cachedLoadMs),
      ms(row.ttftMs),
      row.tokensPerSecond === undefined ? '—' : row.tokensPerSecond.toFixed(1),
      `${row.inputTokens === undefined ? '?' : String(row.inputTokens)}/` +
        (row.outputTokens === undefined ? '—' : String(row.outputTokens)),
      [row.wrongText ? 'UNEXPECTED REPLY' : '', row.note ?? ''].filter(Boolean).join('; '),
    ]);
    if (row.note?.startsWith('load failed') || row.note?.startsWith('generation') || row.wrongText) failed = true;
  }
  printTable(table);
  console.log(
    '  (wasm load = download or Cache API read + wasm compile + model load; native load = loadModel + createContext)',
  );
  for (const model of MODELS) {
    for (const threads of threadCounts) {
      const wasm = rows.find(
        (row) =>
          row.model === model.label &&
          row.threads === threads &&
          row.engine !== 'native' &&
          row.page === (isolated ? 'isolated' : 'not isolated'),
      )?.tokensPerSecond;
      const nativeSpeed = rows.find(
        (row) => row.model === model.label && row.threads === threads && row.engine === 'native',
      )?.tokensPerSecond;
      const ratio = wasm && nativeSpeed ? wasm / nativeSpeed : undefined;
      const verdict = ratio === undefined ? 'not measured' : againstGoal(ratio);
      console.log(`  browser/native tokens/s, ${model.label}, ${String(threads)} thread(s): ${verdict}`);
    }
    // On a small machine more threads can be slower (llama.cpp's threads spin-wait for each
    // other), so also compare each side at its best thread count: what a person would pick.
    const best = (engine: 'wasm' | 'native') =>
      rows
        .filter(
          (row) =>
            row.model === model.label &&
            (row.engine === 'native') === (engine === 'native') &&
            row.tokensPerSecond !== undefined,
        )
        .sort((a, b) => (b.tokensPerSecond ?? 0) - (a.tokensPerSecond ?? 0))[0];
    const bestWasm = best('wasm');
    const bestNative = best('native');
    if (bestWasm?.tokensPerSecond && bestNative?.tokensPerSecond) {
      const ratio = bestWasm.tokensPerSecond / bestNative.tokensPerSecond;
      console.log(
        `  browser/native tokens/s, ${model.label}, ` +
          `each at its best thread count (${String(bestWasm.threads)} / ${String(bestNative.threads)}): ` +
          againstGoal(ratio),
      );
    }
  }
  if (nativeError) console.log(`  native side not run: ${nativeError}`);
  if (pageLog.length > 0)
    console.log(`  page log (${String(pageLog.length)} lines), first: ${pageLog.slice(0, 3).join(' | ')}`);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await harness?.close();
  await plainHarness?.close();
  await rm(directory, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
