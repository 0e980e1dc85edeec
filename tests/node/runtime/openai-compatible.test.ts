import { createOpenAICompatibleEngine, generateImage, streamText, type TextOutcome } from '@ai-blocks/runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAULT_TEXT, startFaultServer, type FaultServer } from '../../servers/fault-server.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

const API_KEY = 'sk-test-secret-key-123';

function engine(scenario: string, overrides: Partial<Parameters<typeof createOpenAICompatibleEngine>[0]> = {}) {
  return createOpenAICompatibleEngine({
    baseURL: server.baseUrl(scenario),
    apiKey: API_KEY,
    model: 'fault-model',
    retry: { initialDelayMs: 10, maxRetries: 2 },
    timeouts: { connectMs: 2000, firstTokenMs: 2000, idleMs: 300 },
    ...overrides,
  });
}

async function run(
  scenario: string,
  options: { abortAfterMs?: number; overrides?: Partial<Parameters<typeof createOpenAICompatibleEngine>[0]> } = {},
): Promise<{ outcome: TextOutcome; deltas: string[] }> {
  const controller = new AbortController();
  if (options.abortAfterMs !== undefined)
    setTimeout(() => {
      controller.abort();
    }, options.abortAfterMs);
  const result = streamText({
    engine: engine(scenario, options.overrides),
    messages: [{ role: 'user', content: 'hi' }],
    system: 'Be brief.',
    temperature: 0,
    maxOutputTokens: 50,
    abortSignal: controller.signal,
  });
  const deltas: string[] = [];
  for await (const delta of result.textStream) deltas.push(delta);
  return { outcome: await result.outcome, deltas };
}

describe('streamText over the OpenAI wire format', () => {
  it('streams the text, finish reason and usage', async () => {
    const { outcome, deltas } = await run('ok');
    expect(deltas).toEqual(FAULT_TEXT);
    expect(outcome).toEqual({
      status: 'complete',
      text: 'Hello, world!',
      finishReason: 'stop',
      usage: { inputTokens: 7, outputTokens: 4 },
    });
    const sent = server.requests[0];
    expect(sent?.body).toMatchObject({
      model: 'fault-model',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0,
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('skips SSE comment lines (OpenRouter)', async () => {
    expect((await run('comments')).outcome).toMatchObject({ status: 'complete', text: 'Hello, world!' });
  });

  it('completes when the stream ends after a finish reason without [DONE]', async () => {
    expect((await run('no-done')).outcome).toMatchObject({
      status: 'complete',
      text: 'Hello, world!',
      finishReason: 'length',
    });
  });

  it('reports an error, keeping the text, when the stream ends without finishing', async () => {
    expect((await run('no-finish')).outcome).toMatchObject({
      status: 'error',
      text: 'Hello, world!',
      error: { code: 'NETWORK' },
    });
  });

  it.each([
    ['auth', 'AUTHENTICATION', 1],
    ['quota', 'OUT_OF_QUOTA', 1],
    ['context-length', 'INPUT_TOO_LONG', 1],
    ['server-error', 'SERVER_ERROR', 3],
    ['rate-limit-long', 'RATE_LIMITED', 1],
  ])('%s → %s after %i request(s), nothing thrown', async (scenario, code, requests) => {
    const { outcome } = await run(scenario);
    expect(outcome).toMatchObject({ status: 'error', text: '', error: { code } });
    expect(server.requests.filter((request) => request.scenario === scenario)).toHaveLength(requests);
  });

  it('retries 429 honouring retry-after-ms, then succeeds', async () => {
    const started = Date.now();
    const { outcome } = await run('rate-limit-then-ok');
    expect(outcome).toMatchObject({ status: 'complete', text: 'Hello, world!' });
    expect(server.requests.filter((request) => request.scenario === 'rate-limit-then-ok')).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('retries a 500 once and then succeeds', async () => {
    const { outcome } = await run('server-error-then-ok');
    expect(outcome.status).toBe('complete');
    expect(server.requests.filter((request) => request.scenario === 'server-error-then-ok')).toHaveLength(2);
  });

  it('never retries after text was shown: a mid-stream disconnect keeps the partial text', async () => {
    const { outcome } = await run('disconnect');
    expect(outcome).toMatchObject({ status: 'error', text: 'Hello, ', error: { code: 'NETWORK' } });
    expect(server.requests.filter((request) => request.scenario === 'disconnect')).toHaveLength(1);
  });

  it('turns a malformed chunk into BAD_RESPONSE with the partial text', async () => {
    expect((await run('malformed')).outcome).toMatchObject({
      status: 'error',
      text: 'Hello, ',
      error: { code: 'BAD_RESPONSE' },
    });
  });

  it('turns an error object inside a 200 stream into an error outcome', async () => {
    expect((await run('error-in-stream')).outcome).toMatchObject({
      status: 'error',
      text: 'Hello, ',
      error: { code: 'SERVER_ERROR' },
    });
  });

  it('times out a stalled stream (idle), before the first token, and while connecting', async () => {
    expect((await run('stall')).outcome).toMatchObject({ status: 'error', text: 'Hello', error: { code: 'TIMEOUT' } });
    expect(
      (
        await run('stall-before-first', {
          overrides: { timeouts: { firstTokenMs: 200, idleMs: 5000, connectMs: 2000 } },
        })
      ).outcome,
    ).toMatchObject({ status: 'error', error: { code: 'TIMEOUT' } });
    expect(
      (await run('slow-headers', { overrides: { timeouts: { connectMs: 200 }, retry: { maxRetries: 0 } } })).outcome,
    ).toMatchObject({ status: 'error', error: { code: 'TIMEOUT' } });
  });

  it('aborts mid-stream with the partial text and closes the connection', async () => {
    const { outcome } = await run('slow', { abortAfterMs: 150 });
    expect(outcome.status).toBe('aborted');
    expect(outcome.text).toMatch(/^0 1 /);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.disconnects).toContain('slow');
  });

  it('aborts while waiting for headers, and before the request', async () => {
    expect((await run('slow-headers', { abortAfterMs: 50 })).outcome).toEqual({ status: 'aborted', text: '' });
    const controller = new AbortController();
    controller.abort();
    const result = streamText({
      engine: engine('ok'),
      messages: [{ role: 'user', content: 'x' }],
      abortSignal: controller.signal,
    });
    expect(await result.outcome).toEqual({ status: 'aborted', text: '' });
    expect(server.requests.filter((request) => request.scenario === 'ok')).toHaveLength(0);
  });

  it('reports an unreachable server as NETWORK', async () => {
    const result = streamText({
      engine: createOpenAICompatibleEngine({ baseURL: 'http://127.0.0.1:9/v1', model: 'x', retry: { maxRetries: 0 } }),
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(await result.outcome).toMatchObject({ status: 'error', error: { code: 'NETWORK' } });
  });

  it('never puts the API key into an outcome or error', async () => {
    for (const scenario of ['auth', 'quota', 'malformed', 'error-in-stream']) {
      const { outcome } = await run(scenario);
      expect(JSON.stringify(outcome)).not.toContain(API_KEY);
    }
  });
});

describe('generateImage over the OpenAI images API', () => {
  it('returns real PNG bytes from base64', async () => {
    const outcome = await generateImage({ engine: engine('images-ok'), prompt: 'a gradient', n: 3, size: '32x32' });
    expect(outcome.status).toBe('complete');
    expect(outcome.images).toHaveLength(3);
    for (const image of outcome.images) {
      expect(image.mediaType).toBe('image/png');
      expect([...image.bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
    expect(server.requests[0]?.body).toMatchObject({
      prompt: 'a gradient',
      n: 3,
      size: '32x32',
      response_format: 'b64_json',
    });
  });

  it.each([
    ['images-policy', 'CONTENT_FILTERED'],
    ['images-ratelimit', 'RATE_LIMITED'],
    ['images-size', 'INVALID_REQUEST'],
  ])('%s → %s', async (scenario, code) => {
    const outcome = await generateImage({ engine: engine(scenario, { retry: { maxRetries: 0 } }), prompt: 'x' });
    expect(outcome).toMatchObject({ status: 'error', images: [], error: { code } });
  });

  it('can be cancelled while waiting', async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 50);
    expect(await generateImage({ engine: engine('images-slow'), prompt: 'x', abortSignal: controller.signal })).toEqual(
      { status: 'aborted', images: [] },
    );
  });
});
