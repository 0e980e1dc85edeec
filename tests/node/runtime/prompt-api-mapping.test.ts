import { AiError, EMPTY_PROBE, selectEngine, toBuiltInAiError, type CapabilityProbe } from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';
import {
  contextOf,
  toPrompts,
  unsupportedSettings,
} from '../../../shared-runtime/src/engines/prompt-api/prompt-api-implementation.js';

const probe = (browserAi: CapabilityProbe['browserAi']): CapabilityProbe => ({
  ...EMPTY_PROBE,
  hostServiceModule: 'no',
  ...(browserAi ? { browserAi } : {}),
});
const wasm = { modelId: 'tiny', downloadBytes: 1000, cached: false, consented: false };

describe('Chrome’s built-in model: selection', () => {
  it('is chosen automatically when available, before a model that needs a download', () => {
    const selection = selectEngine({}, probe('available'), { wasm });
    expect(selection.choice).toBe('browser-ai');
    expect(selection.summary).toContain('Chrome’s built-in model');
    expect(selection.reasons.wasm?.kind).toBe('needs-download');
  });

  it('comes after the host’s service but before the GPU model and a configured cloud engine', () => {
    const config = { wasm, openaiCompatible: { configured: true }, anthropic: { configured: true } };
    expect(selectEngine({}, probe('available'), config).choice).toBe('browser-ai');
    expect(selectEngine({}, { ...probe('available'), hostServiceModule: 'yes' }, config).choice).toBe('service-module');
    const gpu = { adapter: true, isFallbackAdapter: false, shaderF16: true };
    const webllm = { ...wasm, cached: true };
    expect(selectEngine({}, { ...probe('available'), webgpu: gpu }, { ...config, webllm }).choice).toBe('browser-ai');
  });

  it('is offered but not chosen automatically while Chrome must download it', () => {
    for (const state of ['downloadable', 'downloading'] as const) {
      const selection = selectEngine({}, probe(state), { wasm });
      expect(selection.choice).toBe('wasm');
      expect(selection.reasons['browser-ai']?.kind).toBe('needs-download');
      const chosen = selectEngine({ engineId: 'browser-ai' }, probe(state), { wasm });
      expect(chosen.choice).toBe('browser-ai');
      expect(chosen.summary).toContain('Download');
    }
  });

  it('says why it cannot run: no API, not on this device, blocked by the permissions policy', () => {
    expect(selectEngine({}, probe(undefined), { wasm }).reasons['browser-ai']?.text).toContain('no built-in model');
    expect(selectEngine({}, probe('unavailable'), { wasm }).reasons['browser-ai']).toEqual({
      kind: 'unsupported',
      text: 'Chrome’s built-in model is not available on this device.',
    });
    expect(selectEngine({}, probe('blocked'), { wasm }).reasons['browser-ai']?.text).toContain(
      'allow="language-model"',
    );
  });
});

describe('Chrome’s built-in model: mapping', () => {
  it('puts the system prompt first and the history in initialPrompts, the last user message as the prompt', () => {
    expect(
      toPrompts(
        [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
          { role: 'user', content: 'c' },
        ],
        'Answer in English.',
      ),
    ).toEqual({
      initialPrompts: [
        { role: 'system', content: 'Answer in English.\n\nBe brief.' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
      input: 'c',
    });
    expect(
      toPrompts([
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'The answer is' },
      ]).input,
    ).toEqual([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'The answer is', prefix: true },
    ]);
  });

  it('warns about each sampling option the page API does not take', () => {
    expect(unsupportedSettings({ messages: [] })).toEqual([]);
    expect(
      unsupportedSettings({ messages: [], temperature: 1, stopSequences: ['x'] }).map((warning) => warning.setting),
    ).toEqual(['temperature', 'stopSequences']);
  });

  it('reads the context accounting under the new names, else the old ones', () => {
    const base = { prompt: () => '', promptStreaming: () => '', clone: () => '', destroy: () => undefined } as never;
    expect(contextOf({ ...(base as object), contextWindow: 100, contextUsage: 5 } as never)).toEqual({
      window: 100,
      usage: 5,
    });
    expect(contextOf({ ...(base as object), inputQuota: 80, inputUsage: 3 } as never)).toEqual({
      window: 80,
      usage: 3,
    });
  });

  it('maps the browser’s DOMExceptions to codes a person can act on', () => {
    const code = (name: string, phase: 'create' | 'prompt' = 'prompt') =>
      (toBuiltInAiError(new DOMException('x', name), phase) as AiError).code;
    expect(code('QuotaExceededError')).toBe('INPUT_TOO_LONG');
    expect(code('NotAllowedError', 'create')).toBe('ENGINE_UNAVAILABLE');
    expect((toBuiltInAiError(new DOMException('x', 'NotAllowedError'), 'create') as AiError).message).toContain(
      'language-model',
    );
    expect(code('NotSupportedError')).toBe('INVALID_REQUEST');
    expect(code('NotReadableError')).toBe('CONTENT_FILTERED');
    expect(code('UnknownError', 'create')).toBe('MODEL_LOAD_FAILED');
    const abort = new DOMException('stop', 'AbortError');
    expect(toBuiltInAiError(abort, 'prompt')).toBe(abort);
    const cause = new DOMException('x', 'QuotaExceededError');
    expect((toBuiltInAiError(cause, 'prompt') as AiError).cause).toBe(cause);
  });
});
