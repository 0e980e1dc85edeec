import { TYPE_IDS } from '@ai-blocks/block-metadata';
import { expect } from '@open-wc/testing';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import { typeInto } from '../../helpers/chat-block.js';
import { openHostInNewDocument, type HostDocument } from '../../helpers/host-document.js';
import { blockIn, button, chooseEngine, mountHost, shadow, until } from '../../helpers/host-page.js';
import { recordingSession } from '../../helpers/recording-server-client.js';
import { RECORDED_REPLY } from '../../servers/recording-defaults.js';

// Each block writes through the host into IndexedDB; then the page is left and the host opens in
// a new document (its own window, modules and blocks) on the same store, and the block shows
// what was written. A remount in the same page would keep module state that a reload loses.

const saveStatus = (block: HTMLElement) => shadow(block).querySelector('[data-save]')?.getAttribute('data-save') ?? '';
const ofType = (app: AiBlocksHostApp, typeId: string) =>
  app.store.all().filter(({ entity }) => entity.metadata.entityTypeId === typeId);

let opened: HostDocument | undefined;
afterEach(() => {
  opened?.close();
  opened = undefined;
});

/** Leaves the page (the host goes away) and opens the host again in a new document on the same store. */
async function reload(app: AiBlocksHostApp): Promise<AiBlocksHostApp> {
  const dbName = app.config.dbName;
  app.remove();
  opened = await openHostInNewDocument(dbName);
  return opened.app;
}

describe('a reload into a new document finds what each block saved', () => {
  it('AI Text: the kept text, its prompt and provenance', async () => {
    const session = await recordingSession('reload-text');
    await session.script({ reply: 'Kept **across** reloads' });
    const app = await mountHost();
    const block = blockIn(app, 'ai-text');
    block.settings = { openaiCompatible: { baseURL: session.baseURL, model: 'reload-model' } };
    await chooseEngine(block, 'openai-compatible');
    await typeInto(block, '#prompt', 'Write something lasting');
    await until(() => button(block, 'generate')?.disabled === false, 'Generate to be enabled');
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the answer');
    button(block, 'keep')?.click();
    await until(() => saveStatus(block) === 'saved', 'the save');

    const reloaded = blockIn(await reload(app), 'ai-text');
    expect(reloaded.ownerDocument).to.not.equal(document);
    await until(
      () => shadow(reloaded).querySelector('.kept strong')?.textContent === 'across',
      () => `the kept text in the new document (got "${shadow(reloaded).textContent.trim().slice(0, 200)}")`,
    );
    expect(shadow(reloaded).querySelector('.kept')?.textContent.trim()).to.equal('Kept across reloads');
    expect(shadow(reloaded).querySelector('.prompt-line')?.textContent).to.contain('Write something lasting');
    expect(shadow(reloaded).querySelector('.provenance')?.textContent).to.contain('reload-model');
  });

  it('AI Chat: the conversation, in order', async function () {
    this.timeout(40_000);
    const session = await recordingSession('reload-chat');
    const app = await mountHost();
    const block = blockIn(app, 'ai-chat');
    block.settings = { openaiCompatible: { baseURL: session.baseURL, model: 'reload-model' } };
    await chooseEngine(block, 'openai-compatible');
    for (const [index, text] of ['First question', 'Second question'].entries()) {
      await typeInto(block, '#message', text);
      await until(() => button(block, 'send')?.disabled === false, 'Send to be enabled');
      button(block, 'send')?.click();
      await until(
        () =>
          ofType(app, TYPE_IDS.entityType['ai-chat-response-message']).length === index + 1 &&
          saveStatus(block) === 'saved',
        `turn ${String(index + 1)} to be saved`,
      );
    }

    const reloaded = blockIn(await reload(app), 'ai-chat');
    expect(reloaded.ownerDocument).to.not.equal(document);
    const messages = () =>
      [...shadow(reloaded).querySelectorAll<HTMLElement>('article.message:not([data-streaming])')].map(
        (item) => `${item.dataset['role'] ?? ''}: ${item.querySelector('.body')?.textContent.trim() ?? ''}`,
      );
    await until(
      () => messages().length === 4 && messages().every((message) => !message.endsWith(': ')),
      () => `the conversation in the new document (got ${JSON.stringify(messages())})`,
    );
    expect(messages()).to.deep.equal([
      'user: First question',
      `assistant: ${RECORDED_REPLY}`,
      'user: Second question',
      `assistant: ${RECORDED_REPLY}`,
    ]);
  });

  it('AI Image: the kept images, with their bytes', async () => {
    const session = await recordingSession('reload-image');
    const app = await mountHost();
    const block = blockIn(app, 'ai-image');
    block.settings = { openaiCompatible: { baseURL: session.baseURL, model: 'dall-e-2' } };
    await block.updateComplete;
    const engine = shadow(block).querySelector<HTMLSelectElement>('#engine');
    if (engine) {
      engine.value = 'openai-compatible';
      engine.dispatchEvent(new Event('change'));
      await block.updateComplete;
    }
    const count = shadow(block).querySelector<HTMLSelectElement>('#count');
    if (count) {
      count.value = '2';
      count.dispatchEvent(new Event('change'));
    }
    await typeInto(block, '#prompt', 'Two squares');
    button(block, 'generate')?.click();
    await until(() => shadow(block).querySelectorAll('figure[data-candidate]').length === 2, 'two candidates');
    for (const box of shadow(block).querySelectorAll<HTMLInputElement>('figure[data-candidate] input[type="checkbox"]'))
      box.click();
    await block.updateComplete;
    button(block, 'keep')?.click();
    await until(
      () => saveStatus(block) === 'saved' && shadow(block).querySelectorAll('figure[data-kept]').length === 2,
      'the kept images to save',
    );

    const reloaded = blockIn(await reload(app), 'ai-image');
    expect(reloaded.ownerDocument).to.not.equal(document);
    const images = () => [...shadow(reloaded).querySelectorAll<HTMLImageElement>('figure[data-kept] img')];
    await until(
      () => images().length === 2 && images().every((image) => image.complete && image.naturalWidth > 0),
      () => `two loaded images in the new document (got ${String(images().length)})`,
    );
    for (const image of images()) expect(image.getAttribute('alt')).to.equal('Two squares');
  });
});
