import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAICompatibleEngine, streamText } from '@ai-blocks/runtime';
import { generateLlamaGguf, TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
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

const engine = (target: RunningModelServer) => createOpenAICompatibleEngine({ baseURL: target.url, model: target.modelId, providerName: 'the local model server' });

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
    const outcome = await streamText({ engine: engine(server), messages: [{ role: 'user', content: 'hi' }], temperature: 0, maxOutputTokens: 5 }).outcome;
    expect(outcome).toMatchObject({ status: 'complete', text: 'abcde', finishReason: 'length', usage: { outputTokens: 5 } });
  });

  it('answers non-streamed requests with usage', async () => {
    const response = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'tiny', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }], temperature: 0, max_tokens: 3 }) });
    const body = (await response.json()) as { choices: { message: { content: string }; finish_reason: string }[]; usage: { completion_tokens: number } };
    expect(body.choices[0]).toMatchObject({ message: { content: 'abc' }, finish_reason: 'length' });
    expect(body.usage.completion_tokens).toBe(3);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('stops generating when the client aborts mid-stream', async () => {
    const controller = new AbortController();
    const run = streamText({ engine: engine(slowServer), messages: [{ role: 'user', content: 'hi' }], temperature: 0, abortSignal: controller.signal });
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
  });
});
