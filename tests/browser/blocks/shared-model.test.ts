import { TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { expect } from '@open-wc/testing';
import { blockIn, button, chooseEngine, mountHost, shadow, until } from '../../helpers/host-page.js';

interface SharedEntry {
  users: number;
}
const sharedEngines = () =>
  (globalThis as unknown as Record<symbol, Map<string, SharedEntry> | undefined>)[
    Symbol.for('ai-blocks.shared-local-engines.v1')
  ];

describe('one in-browser model per page', () => {
  it('AI Text and AI Chat generating at once share one loaded CPU model, and both get their answer', async function () {
    this.timeout(40_000);
    const app = await mountHost();
    const text = blockIn(app, 'ai-text');
    const chat = blockIn(app, 'ai-chat');
    await chooseEngine(text, 'wasm');
    await chooseEngine(chat, 'wasm');
    const prompt = shadow(text).querySelector<HTMLTextAreaElement>('#prompt');
    const message = shadow(chat).querySelector<HTMLTextAreaElement>('#message');
    if (!prompt || !message) throw new Error('no inputs');
    prompt.value = 'Hello';
    prompt.dispatchEvent(new Event('input'));
    message.value = 'Hi there';
    message.dispatchEvent(new Event('input'));
    await Promise.all([text.updateComplete, chat.updateComplete]);
    await until(
      () => button(text, 'generate')?.disabled === false && button(chat, 'send')?.disabled === false,
      'both to be ready',
    );
    button(text, 'generate')?.click();
    button(chat, 'send')?.click();
    await until(() => button(text, 'keep') !== null, 'the text answer');
    await until(
      () =>
        shadow(chat).querySelector('article[data-role="assistant"]:not([data-streaming]) .body')?.textContent.trim() ===
        TINY_MODEL_EXPECTED.chatReply,
      'the chat answer',
    );
    expect(shadow(text).querySelector('.generated')?.textContent.trim()).to.equal(TINY_MODEL_EXPECTED.chatReply);
    const wasmEntries = [...(sharedEngines()?.entries() ?? [])].filter(([key]) => key.startsWith('wasm:'));
    expect(wasmEntries).to.have.length(1);
    expect(wasmEntries[0]?.[1].users).to.equal(2);
    app.remove();
    await until(() => (sharedEngines()?.size ?? 0) === 0, 'the model to be released when the blocks are gone');
  });
});
