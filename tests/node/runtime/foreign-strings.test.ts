// Strings from servers and libraries (finish reasons, stop reasons, error codes, error names)
// are looked up in maps: inherited names such as `toString` must never return a function that
// then travels into provenance and makes the output unsaveable (docs/security.md).
import { TYPE_IDS } from '@ai-blocks/block-metadata';
import { createGraphClient, saveTextOutput } from '@ai-blocks/persistence';
import {
  createAnthropicEngine,
  createOpenAICompatibleEngine,
  createServiceModuleEngine,
  createWasmEngine,
  createWebLLMEngine,
  streamText,
  toWebLLMError,
  type MLCEngineLike,
  type TextEngine,
  type TextOutcome,
  type WebLLMChunk,
} from '@ai-blocks/runtime';
import type { Entity } from '@blockprotocol/graph';
import { describe, expect, it } from 'vitest';
import { runProvenance } from '../../../packages/ui/src/generation/run-provenance.js';
import { FakeGraphModule } from '../../helpers/fake-graph-module.js';

const HOSTILE = ['toString', '__proto__', 'constructor', 'valueOf', 'hasOwnProperty'] as const;

function sse(events: string[]): typeof fetch {
  return () =>
    Promise.resolve(
      new Response(events.map((event) => `${event}\n\n`).join(''), {
        headers: { 'content-type': 'text/event-stream' },
      }),
    );
}

function openai(reason: string): TextEngine {
  const chunk = (content: string | null, finish: string | null) => {
    const delta = content === null ? {} : { content };
    return `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}`;
  };
  return createOpenAICompatibleEngine({
    baseURL: 'https://api.test/v1',
    model: 'm',
    fetch: sse([chunk('Hi', null), chunk(null, reason), 'data: [DONE]']),
  });
}

function anthropic(reason: string): TextEngine {
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}`;
  return createAnthropicEngine({
    apiKey: 'k',
    model: 'claude',
    fetch: sse([
      event('message_start', { type: 'message_start', message: { usage: { input_tokens: 3, output_tokens: 1 } } }),
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'Hi' },
      }),
      event('message_delta', { type: 'message_delta', delta: { stop_reason: reason }, usage: { output_tokens: 1 } }),
      event('message_stop', { type: 'message_stop' }),
    ]),
  });
}

function wasm(reason: string): TextEngine {
  class FakeWllama {
    loadModel() {
      return Promise.resolve();
    }
    createChatCompletion() {
      async function* chunks() {
        await Promise.resolve();
        yield { choices: [{ delta: { content: 'Hi' } }] };
        yield { choices: [{ delta: {}, finish_reason: reason }] };
      }
      return Promise.resolve(chunks());
    }
    isMultithread() {
      return false;
    }
    exit() {
      return Promise.resolve();
    }
  }
  return createWasmEngine({
    model: new Blob([new Uint8Array(8)]),
    modelId: 'tiny',
    assetBaseUrl: 'https://assets.test/',
    wllama: FakeWllama,
  });
}

function webllm(reason: string): TextEngine {
  const fake: MLCEngineLike = {
    reload: () => Promise.resolve(),
    unload: () => Promise.resolve(),
    interruptGenerate: () => undefined,
    chat: {
      completions: {
        create: () => {
          async function* chunks(): AsyncGenerator<WebLLMChunk> {
            await Promise.resolve();
            yield { choices: [{ delta: { content: 'Hi' }, finish_reason: null }] };
            yield { choices: [{ delta: {}, finish_reason: reason }] };
          }
          return Promise.resolve(chunks());
        },
      },
    },
  };
  return createWebLLMEngine({
    modelId: 'tiny-MLC',
    appConfig: {
      model_list: [
        { model: 'https://models.test/tiny/', model_id: 'tiny-MLC', model_lib: 'https://models.test/lib.wasm' },
      ],
    },
    createEngine: () => Promise.resolve(fake),
  });
}

function serviceModule(reason: string): TextEngine {
  return createServiceModuleEngine({
    transport: () => Promise.resolve({ data: { choices: [{ message: { content: 'Hi' }, finish_reason: reason }] } }),
  });
}

async function run(engine: TextEngine): Promise<TextOutcome> {
  const result = streamText({ engine, messages: [{ role: 'user', content: 'hi' }] });
  const deltas: string[] = [];
  for await (const delta of result.textStream) deltas.push(delta);
  return result.outcome;
}

const timing = { startedAt: 1000, firstTokenAt: 1010, finishedAt: 1100 };

describe('finish and stop reasons named like Object.prototype members', () => {
  const engines = { 'openai-compatible': openai, anthropic, wasm, webllm, 'service-module': serviceModule };
  for (const [name, make] of Object.entries(engines)) {
    it.each(HOSTILE)(
      `${name}: "%s" ends the run as a plain string, and its provenance round-trips through structuredClone and JSON`,
      async (reason) => {
        const outcome = await run(make(reason));
        expect(outcome.status).toBe('complete');
        expect(outcome.text).toBe('Hi');
        expect(typeof outcome.finishReason).toBe('string');
        if (name !== 'service-module') expect(outcome.finishReason).toBe('other');
        const provenance = runProvenance({ engineId: name, modelId: 'm' }, outcome, timing);
        expect(structuredClone(provenance)).toEqual(provenance);
        expect(JSON.parse(JSON.stringify(provenance))).toEqual(provenance);
        expect(
          Object.values(provenance).every(
            (value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)),
          ),
        ).toBe(true);
      },
    );
  }

  it('the text output is still saved, finish reason "other" (via the host store, which structuredClones)', async () => {
    const fake = new FakeGraphModule();
    const entity: Entity = await fake.store.create({
      entityTypeId: TYPE_IDS.entityType['ai-text-block'],
      properties: {},
    });
    const outcome = await run(openai('toString'));
    await saveTextOutput(createGraphClient(fake.module), entity, {
      prompt: 'hi',
      text: outcome.text,
      provenance: runProvenance({ engineId: 'openai-compatible', modelId: 'm' }, outcome, timing),
    });
    const stored = fake.store.get(entity.metadata.recordId.entityId);
    expect(stored?.properties[TYPE_IDS.property.textualContent]).toBe('Hi');
    expect(stored?.properties[TYPE_IDS.property['finish-reason']]).toBe('other');
  });
});

describe('runProvenance keeps only plain JSON', () => {
  it('turns a finish reason that is not a known string, odd numbers and non-string ids into plain values', () => {
    const hostile = {
      status: 'complete',
      text: 'x',
      finishReason: function toString() {
        return 'stop';
      } as unknown as string,
      usage: { inputTokens: Number.NaN, outputTokens: Infinity },
    } as const;
    const provenance = runProvenance(
      { engineId: 'e', modelId: { toString: () => 'm' } as unknown as string },
      hostile,
      { startedAt: Number.NaN },
    );
    expect(provenance).toMatchObject({
      engineId: 'e',
      finishReason: 'other',
      completionStatus: 'complete',
      durationMs: 0,
    });
    expect(provenance).not.toHaveProperty('modelId');
    expect(provenance).not.toHaveProperty('inputTokens');
    expect(provenance).not.toHaveProperty('outputTokens');
    expect(JSON.parse(JSON.stringify(provenance))).toEqual(structuredClone(provenance));
  });

  it.each(HOSTILE)('an unknown finish reason string "%s" is stored as "other"', (reason) => {
    expect(runProvenance(undefined, { status: 'complete', text: '', finishReason: reason }, timing).finishReason).toBe(
      'other',
    );
  });
});

describe('error codes and names named like Object.prototype members', () => {
  it.each(HOSTILE)('a service-module error code "%s" is a SERVER_ERROR', async (code) => {
    const engine = createServiceModuleEngine({
      transport: () => Promise.resolve({ errors: [{ code, message: 'odd' }] }),
    });
    const outcome = await run(engine);
    expect(outcome.error?.code).toBe('SERVER_ERROR');
    expect(JSON.parse(JSON.stringify(outcome))).toEqual(structuredClone(outcome));
  });

  it.each(HOSTILE)('a web-llm error named "%s" is translated by its message, with a real code', (name) => {
    const error = new Error('odd');
    error.name = name;
    expect(toWebLLMError(error, 'load').code).toBe('MODEL_LOAD_FAILED');
    expect(toWebLLMError(error, 'generate').code).toBe('INTERNAL');
  });
});
