// AI Chat: time to open a stored conversation of 500 messages, and main-thread time per
// streamed token when the reply is message 10 versus message 500 (a new message must not
// re-render the thread, so the two should be close). Runs the built block in the host page in
// headless Chromium; replies stream from a local OpenAI-compatible server as fast as it can.
import { TYPE_IDS, BP } from '@ai-blocks/block-metadata';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright';
import { chromiumArgs, findChromium } from '../scripts/chromium-path.mjs';
import { startHostServer } from '../packages/host/src/server/host-server.js';

const REPLY_TOKENS = 1500;

const build = spawnSync('node', ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('build failed');

/** An OpenAI-compatible chat endpoint that streams REPLY_TOKENS small Markdown pieces at once. */
function startStreamServer(): Promise<Server> {
  const words = ['the', 'reply', 'streams', '**bold**', 'into', 'a', '`view`', 'with', 'more', 'words'];
  const server = createServer((request, response) => {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': 'POST, GET, OPTIONS',
    };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, cors).end();
      return;
    }
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { ...cors, 'content-type': 'text/event-stream' });
      const chunk = (delta: object, finish: string | null = null) => {
        const choices = [{ index: 0, delta, finish_reason: finish }];
        const payload = { id: 'b', object: 'chat.completion.chunk', created: 1, model: 'bench', choices };
        return `data: ${JSON.stringify(payload)}\n\n`;
      };
      let body = chunk({ role: 'assistant', content: '' });
      for (let index = 0; index < REPLY_TOKENS; index += 1) {
        const piece =
          index % 40 === 39 ? '\n\n' : index % 97 === 0 ? '\n- item ' : `${words[index % words.length] ?? ''} `;
        body += chunk({ content: piece });
      }
      body += chunk({}, 'stop');
      body += 'data: [DONE]\n\n';
      response.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve(server);
    }),
  );
}

const host = await startHostServer({ distDir: new URL('../dist/', import.meta.url).pathname, port: 0, service: {} });
const streamServer = await startStreamServer();
const streamUrl = `http://127.0.0.1:${(streamServer.address() as AddressInfo).port}/v1`;
const executablePath = findChromium();
if (!executablePath)
  throw new Error("No Chromium: run npm test once (it installs Debian's chromium) or set CHROME_PATH");
const browser = await chromium.launch({ executablePath, args: chromiumArgs() });

const ids = {
  block: TYPE_IDS.entityType['ai-chat-block'],
  request: TYPE_IDS.entityType['ai-chat-request-message'],
  response: TYPE_IDS.entityType['ai-chat-response-message'],
  rootedAt: TYPE_IDS.entityType['rooted-at'],
  hasResponse: TYPE_IDS.entityType['has-response'],
  followedBy: TYPE_IDS.entityType['followed-by'],
  hasMessage: TYPE_IDS.entityType['has-message'],
  text: BP.property.textualContent,
};

/** Opens the host on a fresh store holding a conversation of `messages` messages. */
async function hostWithConversation(messages: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  // tsx keeps function names with a `__name` helper that the page does not have.
  await page.addInitScript('window.__name = (target) => target');
  await page.goto(`${host.url}?db=bench-chat-${String(messages)}-${String(Date.now())}`);
  await page.evaluate(
    async ({ count, ids: types }) => {
      interface Store {
        create(data: {
          entityTypeId: string;
          properties: object;
          linkData?: { leftEntityId: string; rightEntityId: string };
        }): Promise<{ metadata: { recordId: { entityId: string } } }>;
      }
      const app = document.querySelector('ai-blocks-host-app') as unknown as {
        ready: Promise<void>;
        store: Store;
        slots: Map<string, { refresh(): void }>;
      };
      await app.ready;
      const answer = (index: number) =>
        `Answer ${String(index)}: here is a paragraph with **bold** text and \`code\`.\n\n` +
        '- a first point\n- a second point with more words in it\n\n' +
        'And a closing sentence that makes the message a realistic length for a chat reply.';
      let previous: string | undefined;
      for (let index = 0; index < count / 2; index += 1) {
        const request = (
          await app.store.create({
            entityTypeId: types.request,
            properties: { [types.text]: `Question ${String(index)}: could you explain this part once more, briefly?` },
          })
        ).metadata.recordId.entityId;
        const response = (
          await app.store.create({ entityTypeId: types.response, properties: { [types.text]: answer(index) } })
        ).metadata.recordId.entityId;
        await app.store.create({
          entityTypeId: previous ? types.followedBy : types.rootedAt,
          properties: {},
          linkData: { leftEntityId: previous ?? 'ai-chat-block', rightEntityId: request },
        });
        await app.store.create({
          entityTypeId: types.hasResponse,
          properties: {},
          linkData: { leftEntityId: request, rightEntityId: response },
        });
        // As the block writes them: the block links to every message, so the host's subgraph reaches all of them.
        for (const message of [request, response])
          await app.store.create({
            entityTypeId: types.hasMessage,
            properties: {},
            linkData: { leftEntityId: 'ai-chat-block', rightEntityId: message },
          });
        previous = response;
      }
      app.slots.get('ai-chat')?.refresh();
    },
    { count: messages, ids },
  );
  await page.locator('ai-blocks-ai-chat article.message >> nth=' + String(messages - 1)).waitFor({ state: 'attached' });
  return page;
}

/** Milliseconds from creating the element with the stored conversation to its first full render. */
async function openTime(page: Page): Promise<{ ms: number; rendered: number }> {
  return page.evaluate(async () => {
    const app = document.querySelector('ai-blocks-host-app') as unknown as {
      slots: Map<string, { element: HTMLElement & { graph: unknown } }>;
    };
    const slotElement = app.slots.get('ai-chat')?.element;
    if (!slotElement) throw new Error('no AI Chat block in the host');
    const started = performance.now();
    const element = document.createElement(slotElement.localName) as HTMLElement & {
      graph: unknown;
      updateComplete: Promise<boolean>;
    };
    element.graph = slotElement.graph;
    document.body.append(element);
    await element.updateComplete;
    element.getBoundingClientRect();
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    const ms = performance.now() - started;
    const rendered = element.shadowRoot?.querySelectorAll('article.message').length ?? 0;
    element.remove();
    return { ms, rendered };
  });
}

/** Main-thread task time per streamed token of one reply, from CDP's Performance metrics. */
async function perToken(page: Page, messages: number): Promise<number> {
  const chat = page.locator('ai-blocks-ai-chat');
  await chat.evaluate((element, baseURL) => {
    (element as HTMLElement & { settings: unknown }).settings = {
      openaiCompatible: { baseURL, model: 'bench' },
      contextWindow: 1_000_000,
    };
  }, streamUrl);
  await chat.locator('#engine option[value="openai-compatible"]:not([disabled])').waitFor({ state: 'attached' });
  await chat.locator('#engine').selectOption('openai-compatible');
  await chat.locator('#message').fill('One more question, please.');
  // Hold the host's writes: the measurement is the streaming, not the save that follows it
  // (each write makes the host rebuild and re-send the whole subgraph).
  await page.evaluate(() => {
    const app = document.querySelector('ai-blocks-host-app') as unknown as {
      store: { create: () => Promise<never>; update: () => Promise<never>; query: () => unknown[] };
    };
    app.store.create = () => new Promise<never>(() => undefined);
    app.store.update = () => new Promise<never>(() => undefined);
    app.store.query = () => [];
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0;
  const before = await taskSeconds();
  if (process.env['PROFILE']) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  await chat.locator('button[data-action="send"]').click();
  // The reply is done when it is a finished message (the stored ones are messages/2 replies).
  await chat
    .locator(`article[data-role="assistant"]:not([data-streaming]) >> nth=${String(messages / 2)}`)
    .waitFor({ timeout: 60_000 });
  const after = await taskSeconds();
  if (process.env['PROFILE']) {
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const dt = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, index) => {
      const node = byId.get(id);
      const file = node?.callFrame.url.split('/').pop() ?? '';
      const key = `${node?.callFrame.functionName || '(anon)'} ${file}:${String(node?.callFrame.lineNumber ?? '')}`;
      self.set(key, (self.get(key) ?? 0) + (dt[index] ?? 0) / 1000);
    });
    console.log(
      [...self.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)
        .map(([key, ms]) => `${ms.toFixed(0)} ms ${key}`)
        .join('\n'),
    );
  }
  return ((after - before) * 1000) / REPLY_TOKENS;
}

const results: { messages: number; openMs: number[]; perTokenMs: number }[] = [];
for (const messages of [10, 500]) {
  const page = await hostWithConversation(messages);
  const opens: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const { ms, rendered } = await openTime(page);
    if (rendered !== messages) throw new Error(`rendered ${String(rendered)} of ${String(messages)} messages`);
    opens.push(ms);
  }
  const perTokenMs = await perToken(page, messages);
  results.push({ messages, openMs: opens, perTokenMs });
  await page.close();
}
await browser.close();
await host.close();
streamServer.closeAllConnections();
streamServer.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const [small, large] = results;
console.log(
  'machine: headless Chromium (system), the built block in the host page; replies of 1,500 pieces streamed at once',
);
for (const result of results) {
  console.log(
    `  conversation of ${String(result.messages)} messages: ` +
      `open ${median(result.openMs).toFixed(0)} ms (median of 3), ` +
      `main-thread time per streamed token ${(result.perTokenMs * 1000).toFixed(0)} µs`,
  );
}
if (small && large)
  console.log(
    `  per-token ratio, message 500 / message 10: ${(large.perTokenMs / small.perTokenMs).toFixed(2)} ` +
      '(goal: close to 1 — the thread is not re-rendered per token)',
  );
