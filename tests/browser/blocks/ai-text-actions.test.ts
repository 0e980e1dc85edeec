import { TYPE_IDS } from '@ai-blocks/block-metadata';
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import type { HostFaults } from '../../../packages/host/src/store/graph-callbacks.js';
import { blockIn, button, chooseEngine, mountHost, shadow, until, type BlockElement } from '../../helpers/host-page.js';
import { recordingSession, wireLines, type RecordingSession } from '../../helpers/recording-server-client.js';
import { RECORDED_REPLY } from '../../servers/recording-defaults.js';

// What a person does with AI Text besides Generate and Keep, against the recording server behind
// the OpenAI-compatible engine: its log is what proves the request (the reply is scripted).

const textBlock = (app: AiBlocksHostApp): BlockElement => blockIn(app, 'ai-text');
const generated = (block: HTMLElement) => shadow(block).querySelector('.generated')?.textContent.trim() ?? '';
const kept = (block: HTMLElement) => shadow(block).querySelector('.kept')?.textContent.trim() ?? '';
const saveStatus = (block: HTMLElement) => shadow(block).querySelector('[data-save]')?.getAttribute('data-save') ?? '';
const storedText = (app: AiBlocksHostApp) =>
  app.store.get('ai-text-block')?.properties[TYPE_IDS.property.textualContent];
const writes = (app: AiBlocksHostApp) =>
  app.log.entries.filter(
    (entry) =>
      entry.block === 'ai-text' &&
      entry.source === 'block' &&
      ['createEntity', 'updateEntity'].includes(entry.messageName),
  ).length;

/** A button found by what it says (the kept view's buttons carry no data-action). */
function labelled(block: HTMLElement, label: string): HTMLButtonElement {
  const labels = [...shadow(block).querySelectorAll('button')].map((candidate) => candidate.textContent.trim());
  const found = [...shadow(block).querySelectorAll('button')].find(
    (candidate) => candidate.textContent.trim() === label,
  );
  if (!found) throw new Error(`no "${label}" button (buttons: ${labels.join(', ')})`);
  return found;
}

/** Mounts the host with AI Text on a fresh recording session, the OpenAI-compatible engine chosen. */
async function setUp(
  options: { faults?: HostFaults } = {},
): Promise<{ app: AiBlocksHostApp; block: BlockElement; session: RecordingSession }> {
  const session = await recordingSession('ai-text');
  const app = await mountHost(options.faults ? { faults: options.faults } : {});
  const block = textBlock(app);
  block.settings = { openaiCompatible: { baseURL: session.baseURL, model: 'recorded-model' } };
  await chooseEngine(block, 'openai-compatible');
  return { app, block, session };
}

async function typePrompt(block: BlockElement, prompt: string): Promise<HTMLTextAreaElement> {
  const textarea = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
  if (!textarea) throw new Error('no prompt field');
  textarea.value = prompt;
  textarea.dispatchEvent(new Event('input'));
  await block.updateComplete;
  return textarea;
}

async function generate(block: BlockElement, prompt: string): Promise<void> {
  await typePrompt(block, prompt);
  await until(() => button(block, 'generate')?.disabled === false, 'Generate to be enabled');
  button(block, 'generate')?.click();
  await until(() => button(block, 'keep') !== null, 'the answer to finish');
}

async function keep(app: AiBlocksHostApp, block: BlockElement, expectedWrites: number): Promise<void> {
  button(block, 'keep')?.click();
  await until(
    () => saveStatus(block) === 'saved' && writes(app) === expectedWrites,
    () => `the save (status "${saveStatus(block)}", ${String(writes(app))} writes)`,
  );
}

describe('AI Text: what a person does with an answer', () => {
  it('Ctrl+Enter in the prompt generates; Esc stops the stream and keeps the partial text', async () => {
    const { app, block, session } = await setUp();
    await session.script({
      reply: 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen',
      pieceDelayMs: 150,
    });
    const textarea = await typePrompt(block, 'Count for me');
    textarea.focus();
    await sendKeys({ press: 'Control+Enter' });
    await until(
      () => generated(block).startsWith('one two'),
      () => `some streamed text (got "${generated(block)}")`,
    );
    expect(button(block, 'stop'), 'a Stop button while streaming').to.not.equal(null);
    await sendKeys({ press: 'Escape' });
    await until(() => shadow(block).textContent.includes('Stopped'), 'the stopped notice');
    const partial = generated(block);
    expect(
      'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen'.startsWith(partial),
    ).to.equal(true);
    expect(partial.length).to.be.lessThan(40);
    expect(button(block, 'stop')).to.equal(null);
    expect(wireLines((await session.chatRequests())[0])).to.deep.equal(['user: Count for me']);
    expect(await session.chatRequests()).to.have.length(1);
    app.remove();
  });

  it('sends its own system instruction, temperature and length to the engine; keeps them with the text', async () => {
    const { app, block, session } = await setUp();
    shadow(block).querySelector<HTMLElement>('details summary')?.click();
    await block.updateComplete;
    const system = shadow(block).querySelector<HTMLTextAreaElement>('#system');
    const temperature = shadow(block).querySelector<HTMLInputElement>('#temperature');
    const length = shadow(block).querySelector<HTMLInputElement>('#length');
    if (!system || !temperature || !length) throw new Error('no settings fields');
    system.value = '  Answer as a ship’s log.  ';
    system.dispatchEvent(new Event('input'));
    temperature.value = '0.3';
    temperature.dispatchEvent(new Event('input'));
    length.value = '77';
    length.dispatchEvent(new Event('change'));
    await block.updateComplete;
    expect(shadow(block).querySelector('label[for="temperature"]')?.textContent).to.contain('0.3');
    await generate(block, 'Describe the weather');
    const [request, ...others] = await session.chatRequests();
    expect(others).to.have.length(0);
    expect(wireLines(request)).to.deep.equal(['system: Answer as a ship’s log.', 'user: Describe the weather']);
    expect(request).to.deep.include({ model: 'recorded-model', temperature: 0.3, max_tokens: 77, stream: true });
    expect(generated(block)).to.equal(RECORDED_REPLY);
    await keep(app, block, 1);
    expect(app.store.get('ai-text-block')?.properties).to.deep.include({
      [TYPE_IDS.property['system-prompt']]: 'Answer as a ship’s log.',
      [TYPE_IDS.property.temperature]: 0.3,
      [TYPE_IDS.property['max-output-tokens']]: 77,
    });
    app.remove();
  });

  it('Copy puts the answer, and later the kept text, on the clipboard', async () => {
    // A page-level fake clipboard: headless Chromium has no clipboard permission to grant here.
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: {
        writeText: (text: string) => {
          copied.push(text);
          return Promise.resolve();
        },
      },
    });
    try {
      const { app, block, session } = await setUp();
      await session.script({ reply: 'Copy **this** text' });
      await generate(block, 'Something to copy');
      labelled(block, 'Copy').click();
      await until(() => copied.length === 1, 'the copy');
      expect(copied[0]).to.equal('Copy **this** text');
      await keep(app, block, 1);
      labelled(block, 'Copy').click();
      await until(() => copied.length === 2, 'the second copy');
      expect(copied[1]).to.equal('Copy **this** text');
      app.remove();
    } finally {
      Reflect.deleteProperty(navigator, 'clipboard');
    }
  });

  it('Discard drops the answer, keeps the prompt, and writes nothing', async () => {
    const { app, block } = await setUp();
    await generate(block, 'Not worth keeping');
    button(block, 'discard')?.click();
    await block.updateComplete;
    expect(shadow(block).querySelector('.generated')).to.equal(null);
    expect(button(block, 'keep')).to.equal(null);
    expect(shadow(block).querySelector<HTMLTextAreaElement>('#prompt')?.value).to.equal('Not worth keeping');
    expect(button(block, 'generate')?.textContent.trim()).to.equal('Generate');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(writes(app)).to.equal(0);
    expect(storedText(app)).to.equal(undefined);
    app.remove();
  });

  it('Edit then Save writes the edited text to the graph and shows it', async () => {
    const { app, block } = await setUp();
    await generate(block, 'Write something');
    await keep(app, block, 1);
    labelled(block, 'Edit').click();
    await block.updateComplete;
    const editor = shadow(block).querySelector<HTMLTextAreaElement>('#edit-text');
    expect(editor?.value).to.equal(RECORDED_REPLY);
    if (!editor) throw new Error('no editor');
    editor.value = 'Edited by **hand**';
    editor.dispatchEvent(new Event('input'));
    await block.updateComplete;
    labelled(block, 'Save').click();
    await until(() => saveStatus(block) === 'saved' && writes(app) === 2, 'the edited text to save');
    expect(storedText(app)).to.equal('Edited by **hand**');
    await until(
      () => shadow(block).querySelector('.kept strong')?.textContent === 'hand',
      () => `the edited text on screen (got "${kept(block)}")`,
    );
    expect(app.store.get('ai-text-block')?.properties[TYPE_IDS.property.prompt]).to.equal('Write something');
    app.remove();
  });

  it('Regenerate… opens the composer with the kept prompt; on Keep the new answer replaces the old', async () => {
    const { app, block, session } = await setUp();
    await generate(block, 'First take');
    await keep(app, block, 1);
    await session.script({ reply: 'A second take.' });
    labelled(block, 'Regenerate…').click();
    await block.updateComplete;
    expect(shadow(block).querySelector<HTMLTextAreaElement>('#prompt')?.value).to.equal('First take');
    await until(() => button(block, 'generate')?.disabled === false, 'Generate to be enabled');
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the second answer');
    expect(generated(block)).to.equal('A second take.');
    expect((await session.chatRequests()).map(wireLines)).to.deep.equal([['user: First take'], ['user: First take']]);
    expect(storedText(app), 'the kept text stays until Keep').to.equal(RECORDED_REPLY);
    await keep(app, block, 2);
    expect(storedText(app)).to.equal('A second take.');
    expect(kept(block)).to.equal('A second take.');
    app.remove();
  });
});

describe('AI Text: each error notice and its action', () => {
  it('a rate limit says so; Try again sends the request again and shows the answer', async () => {
    const { app, block, session } = await setUp();
    await session.script({
      failures: [
        {
          status: 429,
          body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
          headers: { 'retry-after': '3600' },
        },
      ],
    });
    await typePrompt(block, 'Try me');
    button(block, 'generate')?.click();
    await until(() => shadow(block).querySelector('.error-notice') !== null, 'the error notice');
    const notice = shadow(block).querySelector('.error-notice');
    expect(notice?.getAttribute('data-code')).to.equal('RATE_LIMITED');
    expect(notice?.getAttribute('role')).to.equal('alert');
    expect(notice?.querySelector('.error-title')?.textContent).to.equal('Too many requests right now');
    expect([...(notice?.querySelectorAll('button') ?? [])].map((item) => item.textContent.trim())).to.deep.equal([
      'Try again',
      'Choose another engine',
    ]);
    expect(await session.chatRequests()).to.have.length(1);
    notice?.querySelector<HTMLButtonElement>('button[data-action="retry"]')?.click();
    await until(() => button(block, 'keep') !== null, 'the answer after Try again');
    expect(generated(block)).to.equal(RECORDED_REPLY);
    expect(shadow(block).querySelector('.error-notice')).to.equal(null);
    expect((await session.chatRequests()).map(wireLines)).to.deep.equal([['user: Try me'], ['user: Try me']]);
    app.remove();
  });

  it('refused credentials, a too-long prompt: each says why; its button leads to the picker / the prompt', async () => {
    const { app, block, session } = await setUp();
    await session.script({
      failures: [
        {
          status: 401,
          body: {
            error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
          },
        },
        {
          status: 400,
          body: {
            error: {
              message: "This model's maximum context length is 8 tokens.",
              type: 'invalid_request_error',
              code: 'context_length_exceeded',
            },
          },
        },
      ],
    });
    const notice = () => shadow(block).querySelector('.error-notice');
    // An action is a button, or a disclosure that explains where the person is (How to set a key).
    const actions = () =>
      [...(notice()?.querySelectorAll('.error-actions > button, .error-actions summary') ?? [])].map((item) =>
        item.textContent.trim(),
      );
    await typePrompt(block, 'Hello');
    button(block, 'generate')?.click();
    await until(() => notice()?.getAttribute('data-code') === 'AUTHENTICATION', 'the credentials notice');
    expect(notice()?.querySelector('.error-title')?.textContent).to.equal('The AI service rejected the credentials');
    expect(actions()).to.deep.equal(['How to set a key', 'Choose another engine']);
    notice()?.querySelector<HTMLButtonElement>('button[data-action="switch-engine"]')?.click();
    expect(shadow(block).activeElement?.id, 'Choose another engine focuses the picker').to.equal('engine');
    button(block, 'generate')?.click();
    await until(() => notice()?.getAttribute('data-code') === 'INPUT_TOO_LONG', 'the too-long notice');
    expect(actions()).to.deep.equal(['Edit the prompt', 'Choose another engine']);
    notice()?.querySelector<HTMLButtonElement>('button[data-action="shorten-input"]')?.click();
    expect(shadow(block).activeElement?.id, 'Edit the prompt focuses the prompt').to.equal('prompt');
    expect(await session.chatRequests()).to.have.length(2);
    app.remove();
  });

  it('a refused save says why and offers Retry now, which writes the kept text once', async function () {
    this.timeout(30_000);
    const faults: HostFaults = {};
    const { app, block } = await setUp({ faults });
    await generate(block, 'Save me');
    faults.next = { updateEntity: [{ kind: 'error', code: 'FORBIDDEN', message: 'Writing is paused on this page' }] };
    button(block, 'keep')?.click();
    await until(() => saveStatus(block) === 'unsaved', 'the refused save');
    const status = shadow(block).querySelector('[data-save]');
    expect(status?.textContent).to.contain('Writing is paused on this page');
    expect(status?.textContent).to.not.contain('retrying');
    expect(kept(block), 'the text stays on screen').to.equal(RECORDED_REPLY);
    expect(storedText(app)).to.equal(undefined);
    const retry = status?.querySelector('button');
    expect(retry?.textContent.trim()).to.equal('Retry now');
    retry?.click();
    await until(() => saveStatus(block) === 'saved', 'the save after Retry now');
    expect(storedText(app)).to.equal(RECORDED_REPLY);
    expect(writes(app)).to.equal(2);
    app.remove();
  });
});
