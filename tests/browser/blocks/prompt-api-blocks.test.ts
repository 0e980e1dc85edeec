// The built AI Text and AI Chat blocks in the host with Chrome's built-in model: the page's own
// LanguageModel first (Debian's Chromium has no model), then the fake installed before the blocks load.
import { TYPE_IDS } from '@ai-blocks/block-metadata';
import { sendMouse } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import { chatBlock, send, shownMessages } from '../../helpers/chat-block.js';
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

// A host with no AI service of its own (the fetch fails), so the page's service is not chosen first.
const NO_SERVICE = { serviceBase: 'http://127.0.0.1:9/api/service/' };
const REPLY = 'The built-in model answers from this device.';

const generated = (block: HTMLElement) => shadow(block).querySelector('.generated')?.textContent.trim() ?? '';
const option = (block: HTMLElement, value: string) =>
  shadow(block).querySelector<HTMLOptionElement>(`#engine option[value="${value}"]`);
/** Why an engine cannot run here, as the picker explains under its summary. */
const reason = (block: HTMLElement, value: string) =>
  shadow(block).querySelector(`[data-reason="${value}"]`)?.textContent ?? '';

async function writePrompt(block: BlockElement, prompt: string): Promise<void> {
  await block.updateComplete;
  const textarea = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
  if (!textarea) throw new Error('no prompt field');
  textarea.value = prompt;
  textarea.dispatchEvent(new Event('input'));
  await until(() => button(block, 'generate')?.disabled === false, 'Generate to be enabled');
}

/** A real click (user activation), as Chrome requires for create() while its model downloads. */
async function realClick(element: HTMLElement): Promise<void> {
  element.scrollIntoView({ block: 'center' });
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

describe('Chrome’s built-in model in the built blocks', () => {
  let fake: FakeBuiltInAi | undefined;
  let app: AiBlocksHostApp | undefined;
  afterEach(() => {
    app?.remove();
    app = undefined;
    fake?.restore();
    fake = undefined;
  });

  it('says in the picker that this Chromium (no fake) has no built-in model on this device', async () => {
    app = await mountHost(NO_SERVICE);
    const block = blockIn(app, 'ai-text');
    await until(() => reason(block, 'browser-ai').includes('not available'), 'the reason');
    expect(option(block, 'browser-ai')?.disabled).to.equal(true);
    expect(reason(block, 'browser-ai')).to.contain('Chrome’s built-in model is not available on this device.');
  });

  it('AI Text picks it when available, streams the fake’s exact reply and names it in provenance', async () => {
    fake = installFakeBuiltInAi({ reply: REPLY });
    app = await mountHost(NO_SERVICE);
    const block = blockIn(app, 'ai-text');
    await until(
      () => engineSummary(block).includes('Chrome’s built-in model'),
      () => engineSummary(block),
    );
    expect(shadow(block).querySelector('#engine option[value="auto"]')?.textContent).to.contain(
      'Chrome’s built-in model',
    );
    await writePrompt(block, 'Say hello');
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the answer');
    expect(generated(block)).to.equal(REPLY);
    expect(shadow(block).querySelector('.provenance')?.textContent).to.contain('Chrome’s built-in model');
    expect(fake.calls.prompts.at(-1)?.input).to.equal('Say hello');
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the save');
    expect(app.store.get('ai-text-block')?.properties[TYPE_IDS.property['engine-id']]).to.equal('browser-ai');
  });

  it('AI Text: Stop keeps the partial text as stopped', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `w${String(i)}`).join(' ');
    fake = installFakeBuiltInAi({ reply: long, chunkDelayMs: 40 });
    app = await mountHost(NO_SERVICE);
    const block = blockIn(app, 'ai-text');
    await until(
      () => engineSummary(block).includes('Chrome’s built-in model'),
      () => engineSummary(block),
    );
    await writePrompt(block, 'Count');
    button(block, 'generate')?.click();
    await until(() => generated(block).split(' ').length >= 3, 'some streamed text');
    button(block, 'stop')?.click();
    await until(() => button(block, 'keep') !== null, 'the stopped state');
    const partial = generated(block);
    expect(partial.length).to.be.greaterThan(0);
    expect(long.startsWith(partial)).to.equal(true);
    expect(partial.length).to.be.lessThan(long.length);
    expect(shadow(block).querySelector('.provenance')?.textContent).to.contain('stopped early');
  });

  it('AI Text: a prompt larger than the model’s context ends with the too-long error, nothing prompted', async () => {
    fake = installFakeBuiltInAi({ contextWindow: 64 });
    app = await mountHost(NO_SERVICE);
    const block = blockIn(app, 'ai-text');
    await until(
      () => engineSummary(block).includes('Chrome’s built-in model'),
      () => engineSummary(block),
    );
    await writePrompt(block, 'long '.repeat(200));
    button(block, 'generate')?.click();
    const notice = () => shadow(block).querySelector('[role="alert"]')?.textContent ?? '';
    await until(() => notice() !== '', 'the error');
    expect(notice()).to.contain('64');
    expect(fake.calls.prompts).to.have.length(0);
  });

  it('AI Chat picks it automatically and streams the fake’s exact reply, with the model in provenance', async () => {
    fake = installFakeBuiltInAi({ reply: REPLY });
    app = await mountHost(NO_SERVICE);
    const block = chatBlock(app);
    await until(
      () => engineSummary(block).includes('Chrome’s built-in model'),
      () => engineSummary(block),
    );
    await send(block, 'Hello');
    await until(
      () => shownMessages(block).length === 2,
      () => shownMessages(block).join(' | '),
    );
    expect(shownMessages(block)).to.deep.equal(['user: Hello', `assistant: ${REPLY}`]);
    expect(shadow(block).querySelector('article.message[data-role="assistant"] .provenance')?.textContent).to.contain(
      'chrome-built-in',
    );
    // The next turn sends the conversation so far as the session's initialPrompts.
    await send(block, 'And again');
    await until(
      () => shownMessages(block).length === 4,
      () => shownMessages(block).join(' | '),
    );
    expect(fake.calls.prompts.at(-1)?.input).to.equal('And again');
    expect(fake.calls.create.at(-1)?.initialPrompts?.filter((message) => message.role !== 'system')).to.deep.equal([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: REPLY },
    ]);
  });

  it('offers it when downloadable, downloads from the click with progress, then generates', async function () {
    this.timeout(60_000);
    fake = installFakeBuiltInAi({ reply: REPLY, availability: 'downloadable', downloadStepMs: 150 });
    app = await mountHost(NO_SERVICE);
    const block = blockIn(app, 'ai-text');
    await until(() => option(block, 'browser-ai')?.disabled === false, 'the offer');
    // Not chosen automatically while Chrome would have to download it first.
    expect(engineSummary(block)).not.to.contain('Chrome’s built-in model');
    await chooseEngine(block, 'browser-ai');
    await until(() => button(block, 'download-browser-ai') !== null, 'the Download button');
    expect(shadow(block).textContent).to.contain('Chrome downloads it once, for every site.');
    expect(fake.calls.create).to.have.length(0);
    // The person opens the engine picker (one line while closed) and presses Download in it.
    await realClick(shadow(block).querySelector<HTMLElement>('[data-engine-line]') as HTMLElement);
    await until(() => shadow(block).querySelector<HTMLDetailsElement>('details.engine-picker')?.open === true, 'open');
    await realClick(button(block, 'download-browser-ai') as HTMLButtonElement);
    const progress = () => shadow(block).querySelector('[data-browser-ai-download]')?.textContent ?? '';
    await until(
      () => /downloading its built-in model — (25|50|75)%/.test(progress()),
      () =>
        `progress: ${progress()}; creates ${String(fake?.calls.create.length)}; ` +
        `${shadow(block).querySelector('[data-browser-ai-error]')?.textContent ?? ''}; ` +
        `button ${String(button(block, 'download-browser-ai') !== null)}`,
      8000,
    );
    expect(fake.calls.createWithActivation[0]).to.equal(true);
    await until(() => shadow(block).querySelector('[data-browser-ai-download]') === null, 'the download to end');
    await until(() => button(block, 'download-browser-ai') === null, 'the model to be available');
    await writePrompt(block, 'Hi');
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the answer');
    expect(generated(block)).to.equal(REPLY);
  });

  it('refuses the download without a click (Chrome’s user-gesture rule) and says what to do', async function () {
    this.timeout(40_000);
    fake = installFakeBuiltInAi({ availability: 'downloadable' });
    app = await mountHost(NO_SERVICE);
    const block = blockIn(app, 'ai-text');
    await chooseEngine(block, 'browser-ai');
    await until(() => button(block, 'download-browser-ai') !== null, 'the Download button');
    // An earlier test's real click leaves the page activated for a few seconds.
    await until(() => !navigator.userActivation.isActive, 'no user activation', 10_000);
    button(block, 'download-browser-ai')?.click(); // synthetic: no user activation
    const error = () => shadow(block).querySelector('[data-browser-ai-error]')?.textContent ?? '';
    await until(() => error() !== '', 'the error');
    expect(error()).to.contain('click');
    expect(fake.calls.createWithActivation).to.deep.equal([false]);
  });
});
