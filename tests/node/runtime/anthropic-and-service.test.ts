import { readFile } from 'node:fs/promises';
import {
  createAnthropicEngine,
  createOpenAICompatibleEngine,
  createServiceModuleEngine,
  generateImage,
  streamText,
  type ServiceTransport,
  type TextEngine,
} from '@ai-blocks/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_TEXT, startFaultServer, type FaultServer } from '../../servers/fault-server.js';
import { makePng } from '../../servers/png.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});

async function collect(engine: TextEngine, abortSignal?: AbortSignal) {
  const run = streamText({
    engine,
    messages: [{ role: 'user', content: 'hi' }],
    system: 'Be brief.',
    ...(abortSignal ? { abortSignal } : {}),
  });
  const deltas: string[] = [];
  for await (const delta of run.textStream) deltas.push(delta);
  return { deltas, outcome: await run.outcome };
}

const anthropic = (scenario: string) =>
  createAnthropicEngine({
    apiKey: 'sk-ant-secret',
    model: 'claude-fault',
    baseURL: server.baseUrl(scenario),
    retry: { maxRetries: 0 },
  });

describe('Anthropic engine', () => {
  it('streams text with usage and sends the headers a browser needs', async () => {
    const { deltas, outcome } = await collect(anthropic('anthropic-ok'));
    expect(deltas).toEqual(FAULT_TEXT);
    expect(outcome).toEqual({
      status: 'complete',
      text: 'Hello, world!',
      finishReason: 'stop',
      usage: { inputTokens: 9, outputTokens: 4 },
    });
    const request = server.requests.find((candidate) => candidate.scenario === 'anthropic-ok');
    expect(request?.headers['anthropic-dangerous-direct-browser-access']).toBe('true');
    expect(request?.headers['x-api-key']).toBe('sk-ant-secret');
    expect(request?.body).toMatchObject({
      system: 'Be brief.',
      max_tokens: 1024,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it('ends with an error outcome and the partial text on `event: error` inside a 200 stream', async () => {
    const { outcome } = await collect(anthropic('anthropic-error'));
    expect(outcome).toMatchObject({ status: 'error', text: 'Hello, ', error: { code: 'SERVER_ERROR' } });
    expect(outcome.error?.message).toContain('Overloaded');
  });

  it('maps refusal and max_tokens stop reasons, and a 401', async () => {
    expect((await collect(anthropic('anthropic-refusal'))).outcome).toMatchObject({
      status: 'complete',
      finishReason: 'content-filter',
    });
    expect((await collect(anthropic('anthropic-length'))).outcome).toMatchObject({
      status: 'complete',
      finishReason: 'length',
    });
    const unauthorised = (await collect(anthropic('anthropic-401'))).outcome;
    expect(unauthorised).toMatchObject({ status: 'error', error: { code: 'AUTHENTICATION' } });
    expect(JSON.stringify(unauthorised)).not.toContain('sk-ant-secret');
  });
});

/** Serves recorded SSE lines (vercel/ai fixtures, Apache-2.0; see tests/fixtures/recorded-streams/README.md). */
async function recordedFetch(file: string, named: boolean): Promise<typeof fetch> {
  const lines = (await readFile(new URL(`../../fixtures/recorded-streams/${file}`, import.meta.url), 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '');
  const body =
    lines
      .map((line) =>
        named ? `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n` : `data: ${line}\n\n`,
      )
      .join('') + (named ? '' : 'data: [DONE]\n\n');
  return () => Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
}

describe('recorded streams from the real services', () => {
  it('parses an OpenAI chat stream with its usage chunk', async () => {
    const lines = (
      await readFile(new URL('../../fixtures/recorded-streams/openai-text.chunks.txt', import.meta.url), 'utf8')
    )
      .split('\n')
      .filter(Boolean);
    const expected = lines
      .map(
        (line) =>
          (JSON.parse(line) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '',
      )
      .join('');
    const engine = createOpenAICompatibleEngine({
      baseURL: 'https://api.example.test/v1',
      model: 'gpt',
      fetch: await recordedFetch('openai-text.chunks.txt', false),
    });
    const { outcome } = await collect(engine);
    expect(outcome).toMatchObject({
      status: 'complete',
      text: expected,
      finishReason: 'stop',
      usage: { inputTokens: 16, outputTokens: 300 },
    });
    expect(expected.length).toBeGreaterThan(100);
  });

  it('parses Anthropic text and refusal streams', async () => {
    const text = await collect(
      createAnthropicEngine({
        apiKey: 'k',
        model: 'claude',
        fetch: await recordedFetch('anthropic-text.chunks.txt', true),
      }),
    );
    expect(text.outcome.status).toBe('complete');
    expect(text.outcome.text.length).toBeGreaterThan(10);
    const refusal = await collect(
      createAnthropicEngine({
        apiKey: 'k',
        model: 'claude',
        fetch: await recordedFetch('anthropic-refusal.chunks.txt', true),
      }),
    );
    expect(refusal.outcome).toMatchObject({ status: 'complete', finishReason: 'content-filter' });
  });
});

describe('service-module engine', () => {
  const reply = {
    id: 'c',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'From the host' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  };

  it('says it ignored stop sequences (its request has no field for them) and answers anyway', async () => {
    const engine = createServiceModuleEngine({ transport: () => Promise.resolve({ data: reply }) });
    const run = streamText({ engine, messages: [{ role: 'user', content: 'hi' }], stopSequences: ['END'] });
    for await (const delta of run.textStream) expect(delta).toBe('From the host');
    expect((await run.outcome).warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'stopSequences',
        details: 'The host’s AI service takes no stop sequences.',
      },
    ]);
    const plain = await streamText({ engine, messages: [{ role: 'user', content: 'hi' }] }).outcome;
    expect(plain.warnings).toBeUndefined();
    // An answer whose model is not a name is still an answer, with no model recorded.
    const odd = createServiceModuleEngine({ transport: () => Promise.resolve({ data: { ...reply, model: 42 } }) });
    const oddOutcome = await streamText({ engine: odd, messages: [{ role: 'user', content: 'hi' }] }).outcome;
    expect(oddOutcome.text).toBe('From the host');
    expect(oddOutcome.responseModelId).toBeUndefined();
  });

  it('sends HASH’s payload and streams the reply as one delta', async () => {
    const sent: unknown[] = [];
    const transport: ServiceTransport = (name, data) => {
      sent.push({ name, data });
      return Promise.resolve({ data: reply });
    };
    const { deltas, outcome } = await collect(createServiceModuleEngine({ transport, model: 'gpt-4o-mini' }));
    expect(deltas).toEqual(['From the host']);
    expect(outcome).toEqual({
      status: 'complete',
      text: 'From the host',
      finishReason: 'stop',
      usage: { inputTokens: 5, outputTokens: 3 },
      // The host may run another model than the one named: its answer's model is recorded.
      responseModelId: 'm',
    });
    expect(sent).toEqual([
      {
        name: 'openaiCompleteChat',
        data: {
          model: 'gpt-4o-mini',
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'hi' },
          ],
        },
      },
    ]);
  });

  it('times out when the host never answers (hosts without the module), and maps FORBIDDEN', async () => {
    const silent = createServiceModuleEngine({ transport: () => new Promise(() => {}), timeoutMs: 50 });
    expect((await collect(silent)).outcome).toMatchObject({ status: 'error', error: { code: 'TIMEOUT' } });
    const forbidden = createServiceModuleEngine({
      transport: () =>
        Promise.resolve({ errors: [{ code: 'FORBIDDEN', message: 'External service calls are unavailable' }] }),
    });
    expect((await collect(forbidden)).outcome).toMatchObject({
      status: 'error',
      error: { code: 'ENGINE_UNAVAILABLE', message: 'External service calls are unavailable' },
    });
  });

  it('is cancelled while the host is working', async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 30);
    const slow = createServiceModuleEngine({ transport: () => new Promise(() => {}) });
    expect((await collect(slow, controller.signal)).outcome).toEqual({ status: 'aborted', text: '' });
  });

  it('generates images through openaiCreateImage', async () => {
    const png = makePng(8, 8, 3);
    const engine = createServiceModuleEngine({
      transport: () => Promise.resolve({ data: { created: 1, data: [{ b64_json: png.toString('base64') }] } }),
    });
    const outcome = await generateImage({ engine, prompt: 'x', n: 1 });
    expect(outcome.status).toBe('complete');
    expect(Buffer.from(outcome.images[0]?.bytes ?? []).equals(png)).toBe(true);
    const refused = createServiceModuleEngine({
      transport: () =>
        Promise.resolve({
          errors: [
            {
              code: 'INVALID_INPUT',
              message: 'Your request was rejected as a result of our safety system (content_policy_violation).',
            },
          ],
        }),
    });
    expect(await generateImage({ engine: refused, prompt: 'x' })).toMatchObject({
      status: 'error',
      error: { code: 'CONTENT_FILTERED' },
    });
  });
});
