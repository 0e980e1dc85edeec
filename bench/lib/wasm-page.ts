// Runs the project's Wasm engine in headless Chromium for `bench/wasm-vs-native.bench.ts` and
// `npm run try-model`: a small loopback HTTP server serves a page (wasm-page-entry.ts bundled
// with esbuild), wllama's module and wasm in the runtime-assets layout, and local GGUF files;
// Playwright drives the system Chromium. Every response carries COOP/COEP headers, so the page
// is cross-origin isolated and wllama may use threads.
import { build } from 'esbuild';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { LoadProgress } from '@ai-blocks/runtime';
import { chromiumArgs, findChromium } from '../../scripts/chromium-path.mjs';
import type {
  PageGenerateRequest,
  PageGenerateResult,
  PageLoadRequest,
  PageLoadResult,
  WasmPageApi,
} from './wasm-page-entry.js';

export type { PageGenerateResult, PageLoadResult } from './wasm-page-entry.js';

const rootDir = fileURLToPath(new URL('../../', import.meta.url));
const wllamaDir = join(rootDir, 'node_modules/@wllama/wllama/esm');

const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  // No HTTP cache: a "cold" load must download the model, and the only cache measured is the
  // engine's own (the Cache API).
  'cache-control': 'no-store',
};

const TYPES: Record<string, string> = {
  js: 'text/javascript',
  wasm: 'application/wasm',
  html: 'text/html; charset=utf-8',
};

export interface WasmTab {
  /** The page is cross-origin isolated (SharedArrayBuffer, so wllama can use threads). */
  readonly isolated: boolean;
  readonly hardwareConcurrency: number;
  load(request: PageLoadRequest, onProgress?: (progress: LoadProgress) => void): Promise<PageLoadResult>;
  /** Generates a chat reply; `onDelta` receives the text as it streams (try-model). */
  generate(
    request: Omit<PageGenerateRequest, 'streamDeltas'>,
    onDelta?: (delta: string) => void,
  ): Promise<PageGenerateResult>;
  /** Frees the model (wllama's worker and memory). */
  dispose(): Promise<void>;
  close(): Promise<void>;
}

export interface WasmSession {
  /** A page in this session; pages of one session share the Cache API (a second load is cached). */
  newTab(): Promise<WasmTab>;
  close(): Promise<void>;
}

export interface WasmHarness {
  origin: string;
  browserVersion: string;
  /** Serves a local file; returns its absolute URL on this server. */
  serveFile(path: string): Promise<string>;
  /** Serves a remote URL through this server (for hosts that send no CORS headers). */
  proxyUrl(url: string): string;
  /** A fresh browser context: empty storage, so the first load is a cold one. */
  newSession(): Promise<WasmSession>;
  close(): Promise<void>;
}

export interface WasmHarnessOptions {
  /** Browser console errors and page errors (default: ignored). */
  onPageLog?: (line: string) => void;
}

/** Bundles the page entry once: the runtime is TypeScript with bare imports. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./wasm-page-entry.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    conditions: ['browser', 'production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const text = result.outputFiles[0]?.text;
  if (!text) throw new Error('esbuild produced no page bundle');
  return text;
}

async function sendFile(response: ServerResponse, path: string, type: string): Promise<void> {
  const { size } = await stat(path);
  response.writeHead(200, { ...ISOLATION, 'content-type': type, 'content-length': String(size) });
  createReadStream(path).pipe(response);
}

async function sendProxied(response: ServerResponse, url: string): Promise<void> {
  const upstream = await fetch(url, { redirect: 'follow' });
  const length = upstream.headers.get('content-length');
  response.writeHead(upstream.status, {
    ...ISOLATION,
    'content-type': 'application/octet-stream',
    ...(length ? { 'content-length': length } : {}),
  });
  if (!upstream.body) {
    response.end();
    return;
  }
  Readable.fromWeb(upstream.body as NodeReadableStream<Uint8Array>).pipe(response);
}

export async function startWasmHarness(options: WasmHarnessOptions = {}): Promise<WasmHarness> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("No Chromium: install Debian's chromium package or set CHROME_PATH");
  const script = await bundlePage();
  const html =
    '<!doctype html><meta charset="utf-8"><title>AI Blocks Wasm engine</title><script type="module" src="/page.js"></script>';
  const files = new Map<string, string>();

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    if (path === '/') {
      response.writeHead(200, { ...ISOLATION, 'content-type': TYPES['html'] ?? '' });
      response.end(html);
    } else if (path === '/page.js') {
      response.writeHead(200, { ...ISOLATION, 'content-type': TYPES['js'] ?? '' });
      response.end(script);
    } else if (path === '/runtime-assets/wllama/index.js') {
      await sendFile(response, join(wllamaDir, 'index.js'), TYPES['js'] ?? '');
    } else if (path === '/runtime-assets/wllama/wasm/wllama.wasm') {
      await sendFile(response, join(wllamaDir, 'wasm', 'wllama.wasm'), TYPES['wasm'] ?? '');
    } else if (path === '/favicon.ico') {
      // Chromium asks for one; a 404 would show up as a console error.
      response.writeHead(204, ISOLATION);
      response.end();
    } else if (files.has(path)) {
      await sendFile(response, files.get(path) ?? '', 'application/octet-stream');
    } else if (path === '/proxy' && url.searchParams.has('url')) {
      await sendProxied(response, url.searchParams.get('url') ?? '');
    } else {
      response.writeHead(404, ISOLATION);
      response.end('not found');
    }
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, ISOLATION);
      response.end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;

  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, args: chromiumArgs() });
  } catch (error) {
    server.closeAllConnections();
    server.close();
    throw error;
  }

  async function openTab(context: BrowserContext): Promise<WasmTab> {
    const page: Page = await context.newPage();
    let onProgress: ((progress: LoadProgress) => void) | undefined;
    let onDelta: ((delta: string) => void) | undefined;
    await page.exposeFunction('aiBlocksProgress', (progress: LoadProgress) => onProgress?.(progress));
    await page.exposeFunction('aiBlocksDelta', (delta: string) => onDelta?.(delta));
    page.on('pageerror', (error) => options.onPageLog?.(`[page exception] ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        options.onPageLog?.(`[page ${message.type()}] ${message.text()}`);
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'aiBlocksWasm' in globalThis);
    const info = await page.evaluate(() => {
      const api = (globalThis as unknown as { aiBlocksWasm: WasmPageApi }).aiBlocksWasm;
      return { isolated: api.isolated, hardwareConcurrency: api.hardwareConcurrency };
    });
    return {
      ...info,
      async load(request, progress) {
        onProgress = progress;
        try {
          return await page.evaluate(
            (req) => (globalThis as unknown as { aiBlocksWasm: WasmPageApi }).aiBlocksWasm.load(req),
            request,
          );
        } finally {
          onProgress = undefined;
        }
      },
      async generate(request, delta) {
        onDelta = delta;
        try {
          return await page.evaluate(
            (req) => (globalThis as unknown as { aiBlocksWasm: WasmPageApi }).aiBlocksWasm.generate(req),
            { ...request, streamDeltas: delta !== undefined },
          );
        } finally {
          onDelta = undefined;
        }
      },
      async dispose() {
        await page.evaluate(() => (globalThis as unknown as { aiBlocksWasm: WasmPageApi }).aiBlocksWasm.dispose());
      },
      async close() {
        await page.close();
      },
    };
  }

  return {
    origin,
    browserVersion: browser.version(),
    async serveFile(path) {
      // Checks the file now, so a wrong path fails here and not as a 502 in the page.
      await stat(path);
      const urlPath = `/models/${String(files.size)}/${basename(path)}`;
      files.set(urlPath, path);
      return `${origin}${encodeURI(urlPath)}`;
    },
    proxyUrl(url) {
      return `${origin}/proxy?url=${encodeURIComponent(url)}`;
    },
    async newSession() {
      const context = await browser.newContext();
      return { newTab: () => openTab(context), close: () => context.close() };
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
