import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAICompatibleEngine, streamText } from '@ai-blocks/runtime';
import { generateLlamaGguf, TINY_MODEL_EXPECTED, tinyModelContinuation } from '@ai-blocks/test-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type RunningModelServer } from '../../model-server/src/server.js';

let directory = '';
let server: RunningModelServer;
let slowServer: RunningModelServer;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'model-server-'));
  const modelPath = join(directory, 'tiny.gguf');
  await writeFile(modelPath, generateLlamaGguf());
  server = await startModelServer({ modelPath, threads: 1 });
  slowServer = await startModelServer({ modelPath, threads: 1, pieceDelayMs: 40 });
}, 60_000);

afterAll(async () => {
  await server.close();
  await slowServer.close();
  await rm(directory, { recursive: true, force: true });
});

const engine = (target: RunningModelServer) =>
  createOpenAICompatibleEngine({ baseURL: target.url, model: target.modelId, providerName: 'the local model server' });

describe('llama.cpp model server (node-llama-cpp) with the deterministic tiny model', () => {
  it('lists its model', async () => {
    const models = (await (await fetch(`${server.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(['tiny']);
  });

  it('streams the exact greedy reply through the runtime, stopping at end of sequence, with usage', async () => {
    const run = streamText({ engine: engine(server), messages: [{ role: 'user', content: 'hi' }], temperature: 0 });
    const deltas: string[] = [];
    for await (const delta of run.textStream) deltas.push(delta);
    const outcome = await run.outcome;
    expect(outcome).toMatchObject({ status: 'complete', text: TINY_MODEL_EXPECTED.chatReply, finishReason: 'stop' });
    expect(deltas.join('')).toBe(TINY_MODEL_EXPECTED.chatReply);
    expect(deltas.length).toBeGreaterThan(1);
    expect(outcome.usage?.outputTokens).toBe(26);
    expect(outcome.usage?.inputTokens).toBeGreaterThan(3);
  });

  it('stops at the token limit with finish reason length', async () => {
    const outcome = await streamText({
      engine: engine(server),
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      maxOutputTokens: 5,
    }).outcome;
    expect(outcome).toMatchObject({
      status: 'complete',
      text: 'abcde',
      finishReason: 'length',
      usage: { outputTokens: 5 },
    });
  });

  it('answers non-streamed requests with usage', async () => {
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'tiny',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
        ],
        temperature: 0,
        max_tokens: 3,
      }),
    });
    const body = (await response.json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
      usage: { completion_tokens: number };
    };
    expect(body.choices[0]).toMatchObject({ message: { content: 'abc' }, finish_reason: 'length' });
    expect(body.usage.completion_tokens).toBe(3);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('stops generating when the client aborts mid-stream', async () => {
    const controller = new AbortController();
    const run = streamText({
      engine: engine(slowServer),
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      abortSignal: controller.signal,
    });
    let received = '';
    for await (const delta of run.textStream) {
      received += delta;
      if (received.length >= 3) controller.abort();
    }
    const outcome = await run.outcome;
    expect(outcome.status).toBe('aborted');
    expect(TINY_MODEL_EXPECTED.chatReply.startsWith(outcome.text)).toBe(true);
    expect(outcome.text.length).toBeLessThan(26);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(slowServer.disconnects).toBe(1);
    // Generation stopped: at 40 ms a token the full reply would be done within these 400 ms.
    const generated = slowServer.generatedTokens;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(slowServer.generatedTokens).toBe(generated);
    expect(generated).toBeLessThan(TINY_MODEL_EXPECTED.chatReplyTokens);
  });

  it('streams OpenAI-shaped chunks with a final usage chunk and [DONE]', async () => {
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'tiny',
        messages: [{ role: 'user', content: 'hi' }],
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = (await response.text())
      .split('\n\n')
      .filter((event) => event !== '')
      .map((event) => event.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map(
      (event) =>
        JSON.parse(event) as {
          object: string;
          choices: { delta: { content?: string }; finish_reason: string | null }[];
          usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
        },
    );
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(TINY_MODEL_EXPECTED.chatReply);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const usage = chunks.at(-1)?.usage;
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(usage?.completion_tokens).toBe(TINY_MODEL_EXPECTED.chatReplyTokens);
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + TINY_MODEL_EXPECTED.chatReplyTokens);
  });

  it('completes raw prompts by the documented rules, streamed and not', async () => {
    const complete = async (prompt: string, maxTokens: number) => {
      const response = await fetch(`${server.url}/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'tiny', prompt, max_tokens: maxTokens, temperature: 0 }),
      });
      const body = (await response.json()) as {
        choices: { text: string; finish_reason: string }[];
        usage: { completion_tokens: number };
      };
      return {
        text: body.choices[0]?.text,
        finish: body.choices[0]?.finish_reason,
        tokens: body.usage.completion_tokens,
      };
    };
    expect(await complete('x5', 40)).toEqual({
      text: TINY_MODEL_EXPECTED.countFrom5(40),
      finish: 'length',
      tokens: 40,
    });
    expect(await complete('hello q', 40)).toEqual({ text: TINY_MODEL_EXPECTED.afterQ, finish: 'stop', tokens: 9 });
    expect(await complete('Hi', 4)).toEqual({ ...tinyModelContinuation('Hi', 4), tokens: 4 });

    const streamed = await fetch(`${server.url}/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny', prompt: 'x5', max_tokens: 12, temperature: 0, stream: true }),
    });
    const texts = (await streamed.text())
      .split('\n\n')
      .filter((event) => event.startsWith('data: {'))
      .map((event) => (JSON.parse(event.slice(6)) as { choices: { text: string }[] }).choices[0]?.text ?? '');
    expect(texts.join('')).toBe(TINY_MODEL_EXPECTED.countFrom5(12));
  });

  it('answers CORS preflight requests so pages on other origins can call it', async () => {
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:1234',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});
