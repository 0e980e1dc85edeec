// Runs the project's Wasm engine in headless Chromium for `bench/wasm-vs-native.bench.ts` and
// `npm run try-model`: a small loopback HTTP server serves a page (wasm-page-entry.ts bundled
// with esbuild), wllama's module and wasm in the runtime-assets layout, and local GGUF files;
// Playwright drives the system Chromium. Every response carries COOP/COEP headers, so the page
// is cross-origin isolated and wllama may use threads, unless the harness is started without
// them (`crossOriginIsolated: false`, the page most embedders give a block).
import { build } from 'esbuild';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
const ortDir = join(rootDir, 'node_modules/onnxruntime-web/dist');

const ISOLATED = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};
// No HTTP cache: a "cold" load must download the model, and the only cache measured is the
// engine's own (the Cache API).
const NO_STORE = { 'cache-control': 'no-store' };

const TYPES: Record<string, string> = {
  js: 'text/javascript',
  mjs: 'text/javascript',
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
  /** Calls `method` of the page's API object with one argument (pages other than wasm-page-entry.ts). */
  call<T>(method: string, argument?: unknown): Promise<T>;
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
  /** Serves a local folder's files; returns the absolute URL of the folder (ending in `/`). */
  serveDirectory(path: string): Promise<string>;
  /** Serves a remote URL through this server (for hosts that send no CORS headers). */
  proxyUrl(url: string): string;
  /** A fresh browser context: empty storage, so the first load is a cold one. */
  newSession(): Promise<WasmSession>;
  close(): Promise<void>;
}

export interface WasmHarnessOptions {
  /** Browser console errors and page errors (default: ignored). */
  onPageLog?: (line: string) => void;
  /** `false` serves the page without COOP/COEP: not isolated, so one thread (default true). */
  crossOriginIsolated?: boolean;
  /**
   * The page's script (default wasm-page-entry.ts): a module that puts its API object on `globalThis.aiBlocksWasm`.
   * onnxruntime-web is served under /runtime-assets/onnxruntime-web/ for any page.
   */
  entry?: URL;
  /** Start Chromium with WebGPU on (SwiftShader where there is no GPU), as the `webgpu` test group does. */
  webgpu?: boolean;
  /**
   * One profile on disk instead of a fresh in-memory context per session, as a person's browser has: its Cache API
   * holds files of a GB and more (an in-memory context's refuses a few hundred MB). Sessions share its storage.
   */
  persistentProfile?: boolean;
}

/** Bundles the page entry once: the runtime is TypeScript with bare imports. */
async function bundlePage(entry: URL): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    conditions: ['@ai-blocks/source', 'browser', 'production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const text = result.outputFiles[0]?.text;
  if (!text) throw new Error('esbuild produced no page bundle');
  return text;
}

async function sendFile(response: ServerResponse, path: string, type: string, headers: object): Promise<void> {
  const { size } = await stat(path);
  response.writeHead(200, { ...headers, 'content-type': type, 'content-length': String(size) });
  createReadStream(path).pipe(response);
}

async function sendProxied(response: ServerResponse, url: string, headers: object): Promise<void> {
  const upstream = await fetch(url, { redirect: 'follow' });
  const length = upstream.headers.get('content-length');
  response.writeHead(upstream.status, {
    ...headers,
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
  const script = await bundlePage(options.entry ?? new URL('./wasm-page-entry.ts', import.meta.url));
  const html =
    '<!doctype html><meta charset="utf-8"><title>AI Blocks Wasm engine</title>' +
    '<script type="module" src="/page.js"></script>';
  const files = new Map<string, string>();
  const directories = new Map<string, string>();
  const ISOLATION = options.crossOriginIsolated === false ? NO_STORE : { ...ISOLATED, ...NO_STORE };

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
      await sendFile(response, join(wllamaDir, 'index.js'), TYPES['js'] ?? '', ISOLATION);
    } else if (path === '/runtime-assets/wllama/wasm/wllama.wasm') {
      await sendFile(response, join(wllamaDir, 'wasm', 'wllama.wasm'), TYPES['wasm'] ?? '', ISOLATION);
    } else if (path === '/favicon.ico') {
      // Chromium asks for one; a 404 would show up as a console error.
      response.writeHead(204, ISOLATION);
      response.end();
    } else if (/^\/runtime-assets\/onnxruntime-web\/[\w.-]+\.(mjs|wasm)$/.test(path)) {
      const name = basename(path);
      await sendFile(response, join(ortDir, name), TYPES[name.endsWith('.wasm') ? 'wasm' : 'mjs'] ?? '', ISOLATION);
    } else if (/^\/dirs\/\d+\//.test(path) && !path.split('/').includes('..')) {
      const [, , id = '', ...rest] = path.split('/');
      const dir = directories.get(id);
      if (dir === undefined) throw new Error(`no folder ${id}`);
      await sendFile(response, join(dir, ...rest), 'application/octet-stream', ISOLATION);
    } else if (files.has(path)) {
      await sendFile(response, files.get(path) ?? '', 'application/octet-stream', ISOLATION);
    } else if (path === '/proxy' && url.searchParams.has('url')) {
      await sendProxied(response, url.searchParams.get('url') ?? '', ISOLATION);
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

  let browser: Browser | undefined;
  let profile: { dir: string; context: BrowserContext } | undefined;
  try {
    const args = chromiumArgs({ webgpu: options.webgpu === true });
    if (options.persistentProfile) {
      const dir = await mkdtemp(join(tmpdir(), 'ai-blocks-bench-profile-'));
      profile = { dir, context: await chromium.launchPersistentContext(dir, { executablePath, args }) };
    } else browser = await chromium.launch({ executablePath, args });
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
      async call<T>(method: string, argument?: unknown) {
        return (await page.evaluate(
          ([name, value]) =>
            (
              globalThis as unknown as { aiBlocksWasm: Record<string, (value: unknown) => Promise<unknown>> }
            ).aiBlocksWasm[name]?.(value),
          [method, argument] as const,
        )) as T;
      },
      async close() {
        await page.close();
      },
    };
  }

  return {
    origin,
    browserVersion: (browser ?? profile?.context.browser())?.version() ?? 'unknown',
    async serveFile(path) {
      // Checks the file now, so a wrong path fails here and not as a 502 in the page.
      await stat(path);
      const urlPath = `/models/${String(files.size)}/${basename(path)}`;
      files.set(urlPath, path);
      return `${origin}${encodeURI(urlPath)}`;
    },
    async serveDirectory(path) {
      await stat(path);
      const id = String(directories.size);
      directories.set(id, path);
      return `${origin}/dirs/${id}/`;
    },
    proxyUrl(url) {
      return `${origin}/proxy?url=${encodeURIComponent(url)}`;
    },
    async newSession() {
      if (profile) {
        // The profile's one context: a session is its tabs, closed together.
        const { context } = profile;
        const tabs: WasmTab[] = [];
        return {
          newTab: async () => {
            const tab = await openTab(context);
            tabs.push(tab);
            return tab;
          },
          close: async () => {
            await Promise.all(tabs.map((tab) => tab.close().catch(() => undefined)));
          },
        };
      }
      const context = await (browser as Browser).newContext();
      return { newTab: () => openTab(context), close: () => context.close() };
    },
    async close() {
      await browser?.close();
      if (profile) {
        await profile.context.close();
        await rm(profile.dir, { recursive: true, force: true });
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
