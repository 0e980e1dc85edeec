// AI Text's quick actions on its kept text, in the built block in the host: with the fake
// Summarizer/Rewriter (installed before the blocks load), and prompted on the Wasm engine where
// the browser has none (Debian's Chromium: Summarizer answers unavailable, no Rewriter or Writer).
import { TYPE_IDS } from '@ai-blocks/block-metadata';
import { TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { expect } from '@open-wc/testing';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import { installFakeBuiltInAi, type FakeBuiltInAi } from '../../helpers/fake-language-model.js';
import {
  blockIn,
  button,
  chooseEngine,
  engineSummary,
  mountHost,
  shadow,
  until,
  type BlockElement,
} from '../../helpers/host-page.js';

const NO_SERVICE = { serviceBase: 'http://127.0.0.1:9/api/service/' };
const kept = (block: HTMLElement) => shadow(block).querySelector('.kept')?.textContent ?? '';
const quickText = (block: HTMLElement) => shadow(block).querySelector('.quick-text')?.textContent ?? '';
const source = (block: HTMLElement) => shadow(block).querySelector('.quick-result [data-source]')?.textContent ?? '';

/** Generates with the block's current engine and keeps the answer. */
async function generateAndKeep(block: BlockElement, prompt: string): Promise<void> {
  await block.updateComplete;
  const textarea = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
  if (!textarea) throw new Error('no prompt field');
  textarea.value = prompt;
  textarea.dispatchEvent(new Event('input'));
  await until(() => button(block, 'generate')?.disabled === false, 'Generate to be enabled');
  button(block, 'generate')?.click();
  await until(() => button(block, 'keep') !== null, 'the answer');
  button(block, 'keep')?.click();
  await until(() => button(block, 'quick-summarise') !== null, 'the quick actions under the kept text');
}

async function keepQuickResult(block: BlockElement, app: AiBlocksHostApp, expected: string): Promise<void> {
  await until(
    () => button(block, 'quick-keep') !== null,
    () => `the result (${quickText(block)})`,
  );
  expect(quickText(block)).to.equal(expected);
  button(block, 'quick-keep')?.click();
  await until(() => kept(block).includes(expected), 'the new kept text');
  await until(
    () => app.store.get('ai-text-block')?.properties[TYPE_IDS.property.textualContent] === expected,
    'the save',
  );
}

describe('AI Text quick actions in the built block', () => {
  let fake: FakeBuiltInAi | undefined;
  let app: AiBlocksHostApp | undefined;
  afterEach(() => {
    app?.remove();
    app = undefined;
    fake?.restore();
    fake = undefined;
  });

  it('summarises with the Summarizer, changes the tone with the Rewriter, keeps each', async function () {
    this.timeout(40_000);
    fake = installFakeBuiltInAi({
      reply: 'A long answer about foxes, written by the built-in model.',
      summarizerReply: 'Foxes, briefly.',
      rewriterReply: (input, options) => `${String(options['tone'])}: ${input}`,
    });
    app = await mountHost(NO_SERVICE);
    const block = blockIn(app, 'ai-text');
    await until(
      () => engineSummary(block).includes('Chrome’s built-in model'),
      () => engineSummary(block),
    );
    await generateAndKeep(block, 'Tell me about foxes');
    button(block, 'quick-summarise')?.click();
    await keepQuickResult(block, app, 'Foxes, briefly.');
    expect(source(block) || 'gone after keeping').to.equal('gone after keeping');
    const stored = app.store.get('ai-text-block')?.properties;
    expect(stored?.[TYPE_IDS.property['engine-id']]).to.equal('browser-ai');
    expect(stored?.[TYPE_IDS.property['model-id']]).to.equal('chrome-summarizer');
    expect(fake.calls.writing[0]?.input).to.equal('A long answer about foxes, written by the built-in model.');
    button(block, 'quick-casual')?.click();
    await until(() => source(block) !== '', 'the source line');
    expect(source(block)).to.contain('Chrome’s Rewriter');
    await keepQuickResult(block, app, 'more-casual: Foxes, briefly.');
  });

  it('prompts the Wasm engine (tiny model) where the browser has no writing APIs', async function () {
    this.timeout(60_000);
    app = await mountHost(NO_SERVICE);
    const block = blockIn(app, 'ai-text');
    await chooseEngine(block, 'wasm');
    await generateAndKeep(block, 'Say the alphabet');
    expect(kept(block)).to.contain(TINY_MODEL_EXPECTED.chatReply);
    // The tiny model answers every prompt the same way, so make the kept text differ first.
    button(block, 'quick-shorter')?.click();
    await until(() => source(block) !== '', 'the source line');
    expect(source(block)).to.contain('the chosen engine');
    await until(
      () => button(block, 'quick-keep') !== null,
      () => `the result (${quickText(block)})`,
    );
    expect(quickText(block)).to.equal(TINY_MODEL_EXPECTED.chatReply);
    expect(shadow(block).textContent).not.to.contain('Chrome’s Summarizer');
  });
});
