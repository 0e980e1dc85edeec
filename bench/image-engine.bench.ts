// The in-browser image engine (createOnnxImageEngine on onnxruntime-web, in headless Chromium)
// on a model with SDXS-512's layer sizes and seeded random weights (packages/test-models,
// sdxs-shaped-diffusion.ts): cold load time (files → three sessions) and seconds per 512×512
// image at one step (SDXS is a one-step model) on the WebAssembly provider with 1 and 2 threads
// (the page is cross-origin isolated) and on WebGPU, which is SwiftShader here. Each measurement is
// capped; a row that fails or runs out of time says why. `--quick` runs a ~10× narrower model at
// 128×128, to smoke-test this file in a minute; `--providers=wasm` or `--providers=webgpu` runs only those rows.
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SDXS_512_SHAPE, SDXS_QUICK_SHAPE } from '@ai-blocks/test-models';
import { cachedSdxsShapedDiffusion } from '@ai-blocks/test-models/node';
import type { ImageGenerateResult, ImageLoadResult } from './lib/image-page-entry.js';
import { startWasmHarness, type WasmHarness, type WasmTab } from './lib/wasm-page.js';

const quick = process.argv.includes('--quick');
const shape = quick ? SDXS_QUICK_SHAPE : SDXS_512_SHAPE;
const providers = process.argv
  .find((argument) => argument.startsWith('--providers='))
  ?.slice(12)
  .split(',');
/** Measured runs per row after one warm-up run. */
const RUNS = 2;
/** Cap on one load or one image; a row stops measuring once it has used ROW_BUDGET_MS. */
const CAP_MS = (quick ? 2 : 10) * 60_000;
const ROW_BUDGET_MS = (quick ? 3 : 12) * 60_000;
const PROMPT = 'a photo of a red cat on a blue sea';

interface Row {
  provider: 'wasm' | 'webgpu';
  threads: number;
  loadMs?: number;
  /** Median of the measured runs (or the warm-up alone, when there was no time for more). */
  imageMs?: number;
  runs: number;
  warmUpMs?: number;
  note?: string;
}

const cacheRoot = fileURLToPath(new URL('../node_modules/.cache/ai-blocks-bench/', import.meta.url));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const seconds = (value: number | undefined) => (value === undefined ? '—' : `${(value / 1000).toFixed(2)} s`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const millions = (count: number) => `${(count / 1e6).toFixed(count < 1e7 ? 2 : 1)} M`;

class Timeout extends Error {}
async function capped<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Timeout(`over ${String(ms / 60_000)} min`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function measure(harness: WasmHarness, manifestUrl: string, row: Row): Promise<Row> {
  // A fresh tab per row (the page empties the image cache first, so the load is cold); a stuck tab is closed.
  const session = await harness.newSession();
  const started = performance.now();
  try {
    const tab: WasmTab = await session.newTab();
    if (row.provider === 'webgpu') row.note = await tab.call<string>('gpu');
    const load = await capped(
      tab.call<ImageLoadResult>('load', { manifestUrl, provider: row.provider, threads: row.threads }),
      CAP_MS,
    );
    if (!load.ok) return { ...row, note: [row.note, `load failed: ${load.error ?? ''}`].filter(Boolean).join('; ') };
    row.loadMs = load.ms;
    if (load.provider !== row.provider || load.threads !== row.threads)
      row.note = [row.note, `ran on ${load.provider ?? '?'} with ${String(load.threads)} thread(s)`]
        .filter(Boolean)
        .join('; ');
    const times: number[] = [];
    for (let run = 0; run <= RUNS; run += 1) {
      const left = ROW_BUDGET_MS - (performance.now() - started);
      // Another run only when the last one fits in what is left of the row's budget.
      if (run > 0 && (row.warmUpMs ?? 0) * 1.2 > left) break;
      const result = await capped(
        tab.call<ImageGenerateResult>('generate', { prompt: PROMPT, seed: 42 + run, steps: 1 }),
        Math.min(CAP_MS, Math.max(left, 60_000)),
      );
      if (!result.ok || !result.pngBytes)
        return { ...row, note: [row.note, `image failed: ${result.error ?? 'no PNG'}`].filter(Boolean).join('; ') };
      if (run === 0) row.warmUpMs = result.ms;
      else times.push(result.ms);
    }
    row.runs = times.length;
    const imageMs = times.length > 0 ? median(times) : row.warmUpMs;
    if (imageMs !== undefined) row.imageMs = imageMs;
    if (times.length < RUNS)
      row.note = [row.note, times.length === 0 ? 'no time for runs after the warm-up: s/image is the warm-up' : '']
        .filter(Boolean)
        .join('; ');
    await tab.call('dispose');
    return row;
  } catch (error) {
    const why = error instanceof Timeout ? error.message : error instanceof Error ? error.message : String(error);
    return { ...row, note: [row.note, `stopped: ${why}`].filter(Boolean).join('; ') };
  } finally {
    await session.close().catch(() => undefined);
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
const loadBefore = loadavg();
let failed = false;
let harness: WasmHarness | undefined;
try {
  const generatedAt = performance.now();
  const model = cachedSdxsShapedDiffusion(shape, cacheRoot);
  const generateSeconds = ((performance.now() - generatedAt) / 1000).toFixed(0);
  const { statSync } = await import('node:fs');
  const sizes = ['text_encoder', 'unet', 'vae_decoder'].map(
    (part) => statSync(join(model.dir, part, 'model.onnx')).size,
  );
  const pageLog: string[] = [];
  // One browser for every row: the WebGPU flags do not change the WebAssembly provider.
  harness = await startWasmHarness({
    entry: new URL('./lib/image-page-entry.ts', import.meta.url),
    webgpu: true,
    persistentProfile: true,
    onPageLog: (line) => pageLog.push(line),
  });
  const manifestUrl = `${await harness.serveDirectory(model.dir)}manifest.json`;
  const probe = await harness.newSession();
  const { isolated, hardwareConcurrency } = await probe.newTab();
  await probe.close();

  const rows: Row[] = [];
  for (const row of [
    { provider: 'wasm', threads: 1, runs: 0 },
    { provider: 'wasm', threads: 2, runs: 0 },
    { provider: 'webgpu', threads: 1, runs: 0 },
  ] satisfies Row[]) {
    if (providers && !providers.includes(row.provider)) continue;
    const done = await measure(harness, manifestUrl, row);
    console.log(
      `  … ${done.provider} ${String(done.threads)}: load ${seconds(done.loadMs)}, image ${seconds(done.imageMs)}`,
    );
    rows.push(done);
  }

  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' / ');
  console.log(
    `machine: ${String(cpus().length)} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ` +
      `headless Chromium ${harness.browserVersion}, page cross-origin isolated: ${isolated ? 'yes' : 'no'} ` +
      `(hardwareConcurrency ${String(hardwareConcurrency)})`,
  );
  console.log(
    `load average (1/5/15 min) before ${load(loadBefore)}, after ${load(loadavg())}; ` +
      `${new Date().toISOString().slice(0, 16)} UTC; ${((performance.now() - started) / 1000).toFixed(0)} s in all`,
  );
  console.log(
    `model ${shape.id} (${quick ? 'quick, scaled down' : 'SDXS-512 layer sizes'}), ${String(shape.imageSize)}×` +
      `${String(shape.imageSize)}, fp32, random weights; ` +
      `${model.generated ? `generated in ${generateSeconds} s` : 'cached'} ` +
      `at ${model.dir}`,
  );
  console.log(
    `  parameters: text encoder ${millions(model.parameters.textEncoder)}, UNet ${millions(model.parameters.unet)}, ` +
      `VAE decoder ${millions(model.parameters.vaeDecoder)}; files ${sizes.map(mb).join(' + ')}`,
  );
  console.log(
    `  1 step, prompt "${PROMPT}"; ${String(RUNS)} measured runs after a warm-up (median), ` +
      `each load or image capped at ${String(CAP_MS / 60_000)} min`,
  );
  const table = [['provider', 'threads', 'load (cold)', 's / image', 'warm-up', 'runs', 'note']];
  for (const row of rows) {
    table.push([
      row.provider === 'wasm' ? 'WebAssembly' : 'WebGPU',
      row.provider === 'wasm' ? String(row.threads) : '—',
      seconds(row.loadMs),
      seconds(row.imageMs),
      seconds(row.warmUpMs),
      String(row.runs),
      row.note ?? '',
    ]);
    // WebGPU on SwiftShader may fail or run out of time: that is a finding, not a bench failure.
    if (row.provider === 'wasm' && row.imageMs === undefined) failed = true;
  }
  printTable(table);
  console.log(
    '  (load = manifest + download over loopback into the emptied Cache API (a profile on disk) + ' +
      'onnxruntime-web start-up + three sessions;',
  );
  console.log('   s / image = tokenize + text encoder + UNet step + VAE decoder + PNG, measured in the page)');
  if (pageLog.length > 0)
    console.log(`  page log (${String(pageLog.length)} lines), first: ${pageLog.slice(0, 3).join(' | ')}`);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await harness?.close();
}
process.exitCode = failed ? 1 : 0;
