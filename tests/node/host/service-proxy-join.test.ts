// The real AI Chat block, built, in the host page served by the real host
// server, answering through the server's service proxy (/api/service/*) from an
// upstream OpenAI-compatible server that records what it got. The API key is
// the server's: it must reach the upstream and nothing the page sends,
// receives, shows or stores. Headless Chromium drives the page.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostServer, type RunningHostServer } from '../../../packages/host/src/server/host-server.js';
import { buildBlocks, rootDir } from '../../../scripts/build-blocks.mjs';
import { chromiumArgs, findChromium } from '../../../scripts/chromium-path.mjs';
import { startRecordingServer, type RecordingServer } from '../../servers/recording-server.js';

const KEY = 'sk-host-only-7f3a9c2e51d84b6a';
const REPLY = 'The lighthouse keeper is **Ada**.';
const executablePath = findChromium();

/** Everything the page sent or got over the network, as text. */
interface Traffic {
  sent: string[];
  received: string[];
}

function watch(page: Page): Traffic {
  const traffic: Traffic = { sent: [], received: [] };
  page.on('request', (request) => {
    traffic.sent.push(
      `${request.method()} ${request.url()}\n${JSON.stringify(request.headers())}\n${request.postData() ?? ''}`,
    );
  });
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!/json|text|javascript/.test(type)) return;
    void response.text().then(
      (text) => traffic.received.push(`${response.url()}\n${JSON.stringify(response.headers())}\n${text}`),
      () => undefined,
    );
  });
  return traffic;
}

describe.skipIf(!executablePath)(
  'a block joined to the host’s real service proxy (Chromium)',
  () => {
    let dist = '';
    let upstream: RecordingServer;
    let host: RunningHostServer;
    let browser: Browser;

    beforeAll(async () => {
      dist = await mkdtemp(join(tmpdir(), 'service-join-'));
      // The blocks and the page as `npm run build` makes them, plus the
      // Markdown renderer asset.
      await buildBlocks({ outDir: dist });
      await mkdir(join(dist, 'host'));
      await build({
        entryPoints: [join(rootDir, 'packages/host/src/page/main.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        conditions: ['@ai-blocks/source', 'browser', 'development'],
        outfile: join(dist, 'host', 'host.js'),
        logLevel: 'error',
      });
      await copyFile(join(rootDir, 'packages/host/src/page/index.html'), join(dist, 'host', 'index.html'));
      await build({
        entryPoints: [join(rootDir, 'packages/ui/src/markdown/markdown-entry.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        outfile: join(dist, 'runtime-assets', 'markdown.js'),
        logLevel: 'error',
      });
      upstream = await startRecordingServer();
      upstream.script('proxy', { reply: REPLY });
      host = await startHostServer({
        distDir: dist,
        service: {
          baseUrl: upstream.baseUrl('proxy'),
          apiKey: KEY,
          chatModel: 'host-chat-model',
          log: () => undefined,
        },
        warn: () => undefined,
      });
      browser = await chromium.launch({
        executablePath: executablePath as string,
        args: chromiumArgs(),
      });
    }, 120_000);

    afterAll(async () => {
      await browser.close();
      await Promise.all([host.close(), upstream.close()]);
      await rm(dist, { recursive: true, force: true });
    });

    it('AI Chat gets its answer through /api/service/, and the key stays on the server', async () => {
      const page = await browser.newPage();
      const traffic = watch(page);
      await page.goto(`${host.url}?db=join-${Math.random().toString(36).slice(2)}`);
      await page.waitForFunction(
        () =>
          (
            window as unknown as {
              aiBlocksHost?: { slots: Map<string, unknown> };
            }
          ).aiBlocksHost?.slots.size === 3,
        undefined,
        { timeout: 20_000 },
      );

      // The person picks the page's AI service and sends a message.
      await page.waitForFunction(
        () => {
          const block = (
            window as unknown as {
              aiBlocksHost: { slots: Map<string, { element: HTMLElement }> };
            }
          ).aiBlocksHost.slots.get('ai-chat')?.element;
          const select = block?.shadowRoot?.querySelector<HTMLSelectElement>('#engine');
          return [...(select?.options ?? [])].some((option) => option.value === 'service-module' && !option.disabled);
        },
        undefined,
        { timeout: 20_000 },
      );
      await page.evaluate(async () => {
        const block = (
          window as unknown as {
            aiBlocksHost: {
              slots: Map<string, { element: HTMLElement & { updateComplete: Promise<unknown> } }>;
            };
          }
        ).aiBlocksHost.slots.get('ai-chat')?.element;
        const root = block?.shadowRoot;
        const select = root?.querySelector<HTMLSelectElement>('#engine');
        if (!block || !root || !select) throw new Error('no chat block');
        select.value = 'service-module';
        select.dispatchEvent(new Event('change'));
        await block.updateComplete;
        const field = root.querySelector<HTMLTextAreaElement>('#message');
        if (!field) throw new Error('no message field');
        field.value = 'Who keeps the lighthouse?';
        field.dispatchEvent(new Event('input'));
        await block.updateComplete;
        root.querySelector<HTMLButtonElement>('button[data-action="send"]')?.click();
      });

      // The block shows the upstream's answer, rendered, and saves the turn.
      await page.waitForFunction(
        () => {
          const root = (
            window as unknown as {
              aiBlocksHost: { slots: Map<string, { element: HTMLElement }> };
            }
          ).aiBlocksHost.slots.get('ai-chat')?.element.shadowRoot;
          return (
            root?.querySelector('article.message[data-role="assistant"]:not([data-streaming]) .body strong')
              ?.textContent === 'Ada' && root.querySelector('[data-save="saved"]') !== null
          );
        },
        undefined,
        { timeout: 20_000 },
      );

      // The upstream got the message with the server's key and model.
      const calls = upstream.calls('proxy');
      expect(calls).toHaveLength(1);
      expect(calls[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(calls[0]?.body['model']).toBe('host-chat-model');
      expect((calls[0]?.body['messages'] as { role: string; content: string }[]).at(-1)).toEqual({
        role: 'user',
        content: 'Who keeps the lighthouse?',
      });

      // The page's own call went to the proxy, not to the upstream.
      const serviceCalls = traffic.sent.filter((line) => line.startsWith(`POST ${host.url}api/service/`));
      expect(serviceCalls).toHaveLength(1);
      expect(traffic.sent.some((line) => line.includes(upstream.url))).toBe(false);

      // The key is nowhere the page can see: its requests and responses, its
      // DOM (shadow roots and field values included), its storage and the graph
      // it saved.
      const seen = await page.evaluate(() => {
        const parts: string[] = [];
        const walk = (root: Document | ShadowRoot) => {
          for (const element of root.querySelectorAll('*')) {
            if (
              element instanceof HTMLInputElement ||
              element instanceof HTMLTextAreaElement ||
              element instanceof HTMLSelectElement
            )
              parts.push(element.value);
            if (element.shadowRoot) {
              parts.push(element.shadowRoot.innerHTML);
              walk(element.shadowRoot);
            }
          }
        };
        parts.push(document.documentElement.outerHTML);
        walk(document);
        const app = (window as unknown as { aiBlocksHost: { store: { all(): unknown[] } } }).aiBlocksHost;
        const graph = JSON.stringify(app.store.all());
        return {
          dom: parts.join('\n'),
          graph,
          storage: JSON.stringify(Object.entries(localStorage)) + JSON.stringify(Object.entries(sessionStorage)),
          cookies: document.cookie,
        };
      });
      await new Promise((resolve) => setTimeout(resolve, 200)); // late response bodies
      expect(seen.graph).toContain('The lighthouse keeper is **Ada**.');
      for (const [where, text] of Object.entries({
        ...seen,
        sent: traffic.sent.join('\n'),
        received: traffic.received.join('\n'),
      })) {
        expect(text.includes(KEY), `the key in the page's ${where}`).toBe(false);
        expect(text.includes('7f3a9c2e51d84b6a'), `part of the key in the page's ${where}`).toBe(false);
      }
      expect(traffic.received.some((text) => text.includes('The lighthouse keeper'))).toBe(true);
      await page.close();
    }, 60_000);
  },
  180_000,
);
