// Image generation is billed per request: it is never sent again after a failure that may have
// come after the work was done (a timeout, a 5xx), only after one that proves the server did not
// take it (a 429 naming its wait, a refused connection). See docs/security.md, "Nothing lost".
import { createServer } from 'node:net';
import {
  createImageBlockEngine,
  createOpenAICompatibleEngine,
  generateImage,
  type OpenAICompatibleSettings,
} from '@ai-blocks/runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordFigures, type ReliabilityFigure } from '../../helpers/reliability-figures.js';
import { startFaultServer, type FaultServer } from '../../servers/fault-server.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
const figures: ReliabilityFigure[] = [];
afterAll(async () => {
  await server.close();
  recordFigures('image-retries', figures);
});
beforeEach(() => {
  server.reset();
});

const generations = (scenario: string) =>
  server.requests.filter((request) => request.scenario === scenario && request.path.endsWith('/images/generations'))
    .length;

function engine(scenario: string, overrides: Partial<OpenAICompatibleSettings> = {}) {
  return createOpenAICompatibleEngine({
    baseURL: server.baseUrl(scenario),
    model: 'dall-e-2',
    retry: { initialDelayMs: 10, maxRetries: 2 },
    timeouts: { connectMs: 300, firstTokenMs: 300, idleMs: 300 },
    ...overrides,
  });
}

const generate = (scenario: string, overrides: Partial<OpenAICompatibleSettings> = {}) =>
  generateImage({ engine: engine(scenario, overrides), prompt: 'a red square', n: 1, size: '256x256' });

describe('image generation is never billed twice', () => {
  it('is not retried after a 500', async () => {
    const outcome = await generate('images-500');
    expect(outcome.error?.code).toBe('SERVER_ERROR');
    expect(generations('images-500')).toBe(1);
    figures.push({
      label: 'image requests sent for one generation answered 500',
      value: generations('images-500'),
      max: 1,
    });
  });

  it('is not retried after a timeout', async () => {
    const outcome = await generate('images-slow');
    expect(outcome.error?.code).toBe('TIMEOUT');
    expect(generations('images-slow')).toBe(1);
    figures.push({
      label: 'image requests sent for one generation that timed out',
      value: generations('images-slow'),
      max: 1,
    });
  });

  it('is retried after a 429 that names its wait, and then succeeds', async () => {
    const retries: number[] = [];
    const outcome = await generate('images-429-then-ok', { onRetry: (attempt) => retries.push(attempt) });
    expect(outcome.status).toBe('complete');
    expect(outcome.images).toHaveLength(1);
    expect(generations('images-429-then-ok')).toBe(2);
    expect(retries).toEqual([1]);
    figures.push({
      label: 'image requests sent after a 429 with retry-after (then success)',
      value: generations('images-429-then-ok'),
      min: 2,
      max: 2,
    });
  });

  it('is not retried after a 429 that names no wait', async () => {
    const outcome = await generate('images-429-no-wait');
    expect(outcome.error?.code).toBe('RATE_LIMITED');
    expect(generations('images-429-no-wait')).toBe(1);
  });

  it('is retried when the connection was refused (nothing was sent)', async () => {
    // A port that was just free: connecting is refused.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => {
          resolve(typeof address === 'object' && address ? address.port : 0);
        });
      });
    });
    let attempts = 0;
    const counting: typeof fetch = (input, init) => {
      attempts += 1;
      return fetch(input, init);
    };
    const outcome = await generateImage({
      engine: createOpenAICompatibleEngine({
        baseURL: `http://127.0.0.1:${String(port)}/v1`,
        model: 'dall-e-2',
        fetch: counting,
        retry: { initialDelayMs: 10, maxRetries: 2 },
      }),
      prompt: 'x',
    });
    expect(outcome.error?.code).toBe('NETWORK');
    expect(attempts).toBe(3);
  });

  it('the AI Image block’s engine follows the same rule (a 500 is sent once)', async () => {
    const element = {} as HTMLElement;
    const blockEngine = createImageBlockEngine('openai-compatible', element, {
      openaiCompatible: { baseURL: server.baseUrl('images-500'), model: 'dall-e-2' },
    });
    const outcome = await generateImage({ engine: blockEngine, prompt: 'x' });
    expect(outcome.error?.code).toBe('SERVER_ERROR');
    expect(generations('images-500')).toBe(1);
  });

  it('chat completions (nothing billed before output) are still retried after a 500', async () => {
    const chat = engine('server-error-then-ok');
    const { stream } = await chat.doStream({ messages: [{ role: 'user', content: 'hi' }] });
    await stream.cancel();
    expect(server.requests.filter((request) => request.scenario === 'server-error-then-ok')).toHaveLength(2);
  });
});

describe('reading what an image API sends', () => {
  it('gives up on an images body that stalls after the headers', async () => {
    const outcome = await generate('images-stall-body');
    expect(outcome.error).toMatchObject({ code: 'TIMEOUT' });
    expect(outcome.error?.message).toMatch(/No data arrived .* the images response/);
    expect(generations('images-stall-body')).toBe(1);
  });

  it('says so when an image URL cannot be fetched, instead of keeping an error page as the image', async () => {
    const outcome = await generate('images-url-missing');
    expect(outcome.status).toBe('error');
    expect(outcome.error).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(outcome.error?.message).toMatch(/Could not fetch the image .* HTTP 404/);
  });

  it('gives up on an image URL whose server never answers', async () => {
    const hanging: typeof fetch = (input, init) => {
      const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (target.endsWith('/images/generations')) return fetch(input, init);
      return new Promise((_, reject) => {
        init?.signal?.addEventListener('abort', () => {
          reject(init.signal?.reason as Error);
        });
      });
    };
    const outcome = await generate('images-url-missing', { fetch: hanging });
    expect(outcome.error).toMatchObject({ code: 'TIMEOUT' });
  });
});
