import type { BuiltInAiGlobal, TextEngine, TextStreamPart } from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';
import { QuickActionsController, writingPlans } from '../../../blocks/ai-text/src/quick-actions.js';
import { FakeElement } from '../../helpers/fake-element.js';
import { installFakeBuiltInAi, type FakeBuiltInAiOptions } from '../../helpers/fake-language-model.js';

const KEPT = 'The quick brown fox jumps over the lazy dog. It was a sunny day and everyone was outside.';

/** A text engine that streams `reply` word by word and records the prompts it got. */
function recordingEngine(reply: string) {
  const prompts: { system: string | undefined; content: string | undefined }[] = [];
  const engine: TextEngine = {
    specificationVersion: 'v1',
    engineId: 'wasm',
    modelId: 'ai-blocks-tiny',
    kind: 'local',
    availability: () => Promise.resolve('available'),
    doStream: (options) => {
      prompts.push({ system: options.system, content: options.messages.at(-1)?.content });
      const words = reply.split(/(?<= )/);
      return Promise.resolve({
        stream: new ReadableStream<TextStreamPart>({
          start(controller) {
            for (const delta of words) controller.enqueue({ type: 'text-delta', delta });
            controller.enqueue({ type: 'finish', finishReason: 'stop' });
            controller.close();
          },
        }),
      });
    },
  };
  return { engine, prompts };
}

function setup(options: FakeBuiltInAiOptions | undefined, reply = 'Engine edit.') {
  const global: BuiltInAiGlobal = {};
  const fake = options ? installFakeBuiltInAi(options, global) : undefined;
  const { engine, prompts } = recordingEngine(reply);
  const element = new FakeElement();
  const engines = { selection: { choice: 'wasm' as const }, engine: () => engine };
  const actions = new QuickActionsController(element, { global, engines });
  element.connect();
  return { actions, fake, prompts };
}

describe('AI Text quick actions', () => {
  it('summarises with the browser’s Summarizer when it is available, not the engine', async () => {
    const { actions, fake, prompts } = setup({ summarizerReply: 'A fox jumps on a sunny day.', chunkDelayMs: 0 });
    await actions.run('summarise', KEPT);
    expect(actions.status).toBe('complete');
    expect(actions.text).toBe('A fox jumps on a sunny day.');
    expect(actions.source).toBe('Summarizer');
    expect(fake?.calls.writing[0]?.input).toBe(KEPT);
    expect(fake?.calls.writing[0]?.create).toMatchObject({ type: 'tldr', outputLanguage: 'en' });
    expect(prompts).toHaveLength(0);
    expect(actions.provenance()).toEqual({
      engineId: 'browser-ai',
      modelId: 'chrome-summarizer',
      completionStatus: 'complete',
    });
  });

  it('makes the text shorter and changes its tone with the Rewriter’s own options', async () => {
    const { actions, fake } = setup({ rewriterReply: (input, o) => `${String(o['length'] ?? o['tone'])}: ok` });
    await actions.run('shorter', KEPT);
    expect(actions.text).toBe('shorter: ok');
    await actions.run('formal', KEPT);
    expect(actions.text).toBe('more-formal: ok');
    expect(fake?.calls.writing.map((call) => call.api)).toEqual(['Rewriter', 'Rewriter']);
  });

  it('uses the Writer with an instruction when there is no Rewriter', async () => {
    const { actions, fake } = setup({ writerReply: 'Longer text.' });
    await actions.run('longer', KEPT);
    expect(actions.source).toBe('Writer');
    expect(fake?.calls.writing[0]?.input).toContain('longer');
    expect(fake?.calls.writing[0]?.input).toContain(KEPT);
  });

  it('prompts the chosen engine when the browser has none of the writing APIs', async () => {
    const { actions, prompts } = setup(undefined, 'Fox jumps.');
    await actions.run('summarise', KEPT);
    expect(actions.source).toBe('engine');
    expect(actions.text).toBe('Fox jumps.');
    expect(prompts[0]?.content).toContain('Summarise');
    expect(prompts[0]?.content).toContain(KEPT);
    expect(actions.provenance()).toMatchObject({ engineId: 'wasm', modelId: 'ai-blocks-tiny' });
  });

  it('falls back to the engine when the writing APIs answer unavailable', async () => {
    const { actions, prompts } = setup({ availability: 'unavailable', summarizerReply: 'never' });
    await actions.run('summarise', KEPT);
    expect(actions.source).toBe('engine');
    expect(prompts).toHaveLength(1);
  });

  it('stops on request, keeping the partial text as stopped', async () => {
    const reply = Array.from({ length: 50 }, (_, i) => `w${String(i)}`).join(' ');
    const { actions } = setup({ summarizerReply: reply, chunkDelayMs: 5 });
    const running = actions.run('summarise', KEPT);
    while (actions.text.split(' ').length < 4) await new Promise((resolve) => setTimeout(resolve, 2));
    actions.stop();
    await running;
    expect(actions.status).toBe('aborted');
    expect(reply.startsWith(actions.text)).toBe(true);
    expect(actions.text.length).toBeGreaterThan(0);
    expect(actions.text.length).toBeLessThan(reply.length);
    expect(actions.provenance().completionStatus).toBe('stopped');
  });

  it('plans each action for the right API', () => {
    expect(writingPlans('casual', 'x').map((plan) => [plan.api, plan.options])).toEqual([
      ['Rewriter', { format: 'as-is', tone: 'more-casual', expectedInputLanguages: ['en'], outputLanguage: 'en' }],
      ['Writer', { format: 'markdown', tone: 'casual', expectedInputLanguages: ['en'], outputLanguage: 'en' }],
    ]);
  });
});
