import { createOpenAICompatibleEngine, generateImage, streamText } from '@ai-blocks/runtime';
import { TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import { requireModelServer } from '../../helpers/model-server.js';

interface TestServers {
  fault: string;
  model?: string;
  slowModel?: string;
  modelId?: string;
}

let servers: TestServers;
before(async () => {
  servers = await executeServerCommand<TestServers, undefined>('test-servers');
});

const faultUrl = (scenario: string) => servers.fault.replace('SCENARIO', scenario);

describe('the runtime in Chromium, calling servers on another origin (real CORS)', () => {
  it('streams from the llama.cpp server with the deterministic model', async function () {
    requireModelServer(servers, 'model');
    expect(new URL(servers.model ?? '').origin).to.not.equal(location.origin);
    const run = streamText({
      engine: createOpenAICompatibleEngine({ baseURL: servers.model ?? '', model: servers.modelId ?? 'tiny' }),
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
    });
    const deltas: string[] = [];
    for await (const delta of run.textStream) deltas.push(delta);
    const outcome = await run.outcome;
    expect(outcome.status).to.equal('complete');
    expect(outcome.text).to.equal(TINY_MODEL_EXPECTED.chatReply);
    expect(outcome.finishReason).to.equal('stop');
    expect(outcome.usage?.outputTokens).to.equal(26);
    expect(deltas.length).to.be.greaterThan(1);
    const limited = await streamText({
      engine: createOpenAICompatibleEngine({ baseURL: servers.model ?? '', model: 'tiny' }),
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      maxOutputTokens: 4,
    }).outcome;
    expect(limited).to.deep.include({ status: 'complete', text: 'abcd', finishReason: 'length' });
  });

  it('aborts mid-stream and keeps the partial text', async function () {
    requireModelServer(servers, 'slowModel');
    const controller = new AbortController();
    const run = streamText({
      engine: createOpenAICompatibleEngine({ baseURL: servers.slowModel ?? '', model: 'tiny' }),
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      abortSignal: controller.signal,
    });
    let text = '';
    for await (const delta of run.textStream) {
      text += delta;
      if (text.length >= 2) controller.abort();
    }
    const outcome = await run.outcome;
    expect(outcome.status).to.equal('aborted');
    expect(TINY_MODEL_EXPECTED.chatReply.startsWith(outcome.text)).to.equal(true);
    expect(outcome.text.length).to.be.lessThan(26);
  });

  it('ends a broken stream as an error with the partial text, never a rejection', async () => {
    const outcome = await streamText({
      engine: createOpenAICompatibleEngine({ baseURL: faultUrl('disconnect'), model: 'x', retry: { maxRetries: 0 } }),
      messages: [{ role: 'user', content: 'hi' }],
    }).outcome;
    expect(outcome.status).to.equal('error');
    expect(outcome.text).to.equal('Hello, ');
    expect(outcome.error?.code).to.equal('NETWORK');
  });

  it('generates real PNG images from base64', async () => {
    const outcome = await generateImage({
      engine: createOpenAICompatibleEngine({ baseURL: faultUrl('images-ok'), model: 'img' }),
      prompt: 'x',
      n: 2,
      size: '16x16',
    });
    expect(outcome.status).to.equal('complete');
    const bitmap = await createImageBitmap(
      new Blob([outcome.images[0]?.bytes.slice().buffer ?? new ArrayBuffer(0)], { type: 'image/png' }),
    );
    expect([bitmap.width, bitmap.height]).to.deep.equal([16, 16]);
  });
});
