// The host page and its server end to end in headless Chromium (what `npm start` serves):
// `?blocks=` loads block code only from the page's own origin or the server's allow-list,
// a refused origin is named in the page, and the page's own service calls pass the proxy's
// same-origin checks while another origin's are refused. The page is bundled here from source
// and the blocks are tiny stand-ins, so the test does not depend on a prior build.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostServer, type RunningHostServer } from '../../../packages/host/src/server/host-server.js';
import { chromiumArgs, findChromium } from '../../../scripts/chromium-path.mjs';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BLOCKS = ['ai-text', 'ai-image', 'ai-chat'];

/** Stand-in blocks: a custom element that says where its code came from. */
async function writeBlocks(dir: string, label: string): Promise<void> {
  for (const name of BLOCKS) {
    await mkdir(join(dir, 'blocks', name), { recursive: true });
    await writeFile(
      join(dir, 'blocks', name, 'block-metadata.json'),
      JSON.stringify({ name, blockType: { tagName: `${name}-block` }, source: 'main.js' }),
    );
    await writeFile(
      join(dir, 'blocks', name, 'main.js'),
      `(window.__ranBlocks ??= []).push(${JSON.stringify(`${label}:${name}`)}); ` +
        'module.exports = { default: class extends HTMLElement { connectedCallback() { ' +
        `this.textContent = ${JSON.stringify(`${name} from ${label}`)}; } } };`,
    );
  }
}

/** Another origin that serves blocks with CORS and counts the requests it got. */
function foreignBlockServer(dir: string): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    void import('node:fs/promises').then(async ({ readFile }) => {
      try {
        const body = await readFile(join(dir, (request.url ?? '/').replace(/\.\./g, '')));
        response.writeHead(200, {
          'access-control-allow-origin': '*',
          'content-type': request.url?.endsWith('.json') ? 'application/json' : 'text/javascript',
        });
        response.end(body);
      } catch {
        response.writeHead(404, { 'access-control-allow-origin': '*' });
        response.end();
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests });
    }),
  );
}

const executablePath = findChromium();

describe.skipIf(!executablePath)(
  'the host page served by the host server (Chromium)',
  () => {
    let pageDist = '';
    let otherDist = '';
    let host: RunningHostServer;
    let allowed: RunningHostServer;
    let foreign: Awaited<ReturnType<typeof foreignBlockServer>>;
    let upstream: Server;
    const upstreamCalls: string[] = [];
    let browser: Browser;

    beforeAll(async () => {
      pageDist = await mkdtemp(join(tmpdir(), 'host-page-'));
      otherDist = await mkdtemp(join(tmpdir(), 'host-other-'));
      await mkdir(join(pageDist, 'host'));
      await build({
        entryPoints: [join(ROOT, 'packages/host/src/page/main.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        conditions: ['@ai-blocks/source', 'browser', 'development'],
        outfile: join(pageDist, 'host', 'host.js'),
        logLevel: 'error',
      });
      await copyFile(join(ROOT, 'packages/host/src/page/index.html'), join(pageDist, 'host', 'index.html'));
      await writeBlocks(pageDist, 'own');
      await writeBlocks(otherDist, 'other');
      upstream = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          upstreamCalls.push(body);
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({
              id: 'c',
              object: 'chat.completion',
              created: 1,
              model: 'm',
              choices: [{ index: 0, message: { role: 'assistant', content: 'proxied' }, finish_reason: 'stop' }],
            }),
          );
        });
      });
      await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
      const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
      // The allow-listed origin is a second host server (its blocks are served with CORS).
      allowed = await startHostServer({ distDir: otherDist, service: {} });
      host = await startHostServer({
        distDir: pageDist,
        service: { baseUrl: upstreamUrl, apiKey: 'sk-page-test' },
        allowedBlockOrigins: [new URL(allowed.url).origin],
      });
      foreign = await foreignBlockServer(otherDist);
      browser = await chromium.launch({ executablePath: executablePath as string, args: chromiumArgs() });
    }, 60_000);

    afterAll(async () => {
      await browser.close();
      await Promise.all([
        host.close(),
        allowed.close(),
        new Promise((resolve) => foreign.server.close(resolve)),
        new Promise((resolve) => upstream.close(resolve)),
      ]);
      await rm(pageDist, { recursive: true, force: true });
      await rm(otherDist, { recursive: true, force: true });
    });

    /** Opens the page and waits until it has mounted blocks or shows a status. */
    async function open(query: string): Promise<{ page: Page; blocks: string[]; status: string; ran: string[] }> {
      const page = await browser.newPage();
      await page.goto(`${host.url}?db=t-${Math.random().toString(36).slice(2)}${query}`);
      await page.waitForFunction(
        () => {
          const app = (window as unknown as { aiBlocksHost?: { slots: Map<string, unknown>; status: string } })
            .aiBlocksHost;
          return app && (app.slots.size === 3 || (app.status !== 'Loading…' && app.status !== ''));
        },
        undefined,
        { timeout: 15_000 },
      );
      const state = await page.evaluate(() => {
        const app = (
          window as unknown as { aiBlocksHost: HTMLElement & { slots: Map<string, { element: HTMLElement }> } }
        ).aiBlocksHost;
        return {
          blocks: [...app.slots.values()].map((slot) => slot.element.textContent),
          status: app.shadowRoot?.querySelector('[role="status"]')?.textContent ?? '',
          ran: (window as unknown as { __ranBlocks?: string[] }).__ranBlocks ?? [],
        };
      });
      return { page, ...state };
    }

    it('loads blocks from its own origin', async () => {
      const { page, blocks, ran } = await open('');
      expect(blocks).toEqual(['ai-text from own', 'ai-image from own', 'ai-chat from own']);
      expect(ran).toEqual(['own:ai-text', 'own:ai-image', 'own:ai-chat']);
      await page.close();
    });

    it('loads blocks from an origin on the server’s allow-list', async () => {
      const { page, blocks } = await open(`&blocks=${encodeURIComponent(`${allowed.url}blocks/`)}`);
      expect(blocks).toEqual(['ai-text from other', 'ai-image from other', 'ai-chat from other']);
      await page.close();
    });

    it('refuses ?blocks= on any other origin: nothing fetched or run, and the page says why', async () => {
      const { page, blocks, status, ran } = await open(`&blocks=${encodeURIComponent(`${foreign.url}blocks/`)}`);
      expect(blocks).toEqual([]);
      expect(ran).toEqual([]);
      expect(foreign.requests).toEqual([]);
      expect(status).toContain(`Blocks from ${new URL(foreign.url).origin} are not loaded`);
      expect(status).toContain('AI_BLOCKS_ALLOWED_BLOCK_ORIGINS');
      await page.close();
    });

    it('forwards the page’s own service calls, and refuses the same call from another origin’s page', async () => {
      const { page } = await open('');
      const own = await page.evaluate(async () => {
        const response = await fetch('/api/service/openaiCompleteChat', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [{ role: 'user', content: 'from the page' }] }),
        });
        return (await response.json()) as { data?: { choices: { message: { content: string } }[] } };
      });
      expect(own.data?.choices[0]?.message.content).toBe('proxied');
      expect(upstreamCalls.filter((body) => body.includes('from the page'))).toHaveLength(1);
      await page.close();

      // A page on another origin (the foreign server) tries both a simple and a JSON request.
      const other = await browser.newPage();
      await other.goto(`${foreign.url}blocks/ai-text/block-metadata.json`);
      const outcomes = await other.evaluate(async (target) => {
        const tries: string[] = [];
        for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/json' }]) {
          try {
            const response = await fetch(target, {
              method: 'POST',
              headers,
              body: JSON.stringify({ messages: [{ role: 'user', content: 'from another site' }] }),
            });
            tries.push(String(response.status));
          } catch (error) {
            tries.push(String(error));
          }
        }
        return tries;
      }, `${host.url}api/service/openaiCompleteChat`);
      expect(outcomes).toHaveLength(2);
      expect(upstreamCalls.filter((body) => body.includes('from another site'))).toEqual([]);
      await other.close();
    });
  },
  90_000,
);
