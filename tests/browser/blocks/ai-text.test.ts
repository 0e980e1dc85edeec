import { BLOCK_METADATA, entityPropertiesSchema, LEGACY_HASH, BP, TYPE_IDS } from '@ai-blocks/block-metadata';
import { TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { expect } from '@open-wc/testing';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import { button, mountHost, shadow, testServers, until, type TestServers } from '../../helpers/host-page.js';
import { requireModelServer } from '../../helpers/model-server.js';

let servers: TestServers;
before(async () => {
  servers = await testServers();
});

const faultUrl = (scenario: string) => servers.fault.replace('SCENARIO', scenario);

type TextBlock = HTMLElement & { settings: Record<string, unknown>; updateComplete: Promise<boolean> };

function textBlock(app: AiBlocksHostApp): TextBlock {
  const element = app.slots.get('ai-text')?.element;
  if (!element) throw new Error('no AI Text block');
  return element as TextBlock;
}

async function compose(block: TextBlock, prompt: string, engine: string): Promise<void> {
  await block.updateComplete;
  const select = shadow(block).querySelector<HTMLSelectElement>('#engine');
  const textarea = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
  if (!select || !textarea) throw new Error('no composer');
  select.value = engine;
  select.dispatchEvent(new Event('change'));
  textarea.value = prompt;
  textarea.dispatchEvent(new Event('input'));
  await until(() => button(block, 'generate')?.disabled === false, 'Generate to be enabled');
}

const generatedText = (block: HTMLElement) => shadow(block).querySelector('.generated')?.textContent.trim() ?? '';
const writes = (app: AiBlocksHostApp, name: string) =>
  app.log.entries.filter((entry) => entry.block === 'ai-text' && entry.source === 'block' && entry.messageName === name)
    .length;

describe('AI Text block in the host', () => {
  it('generates on the CPU engine (deterministic model), keeps it with one update, restores it on reload', async () => {
    const app = await mountHost();
    const block = textBlock(app);
    await compose(block, 'Say the alphabet', 'wasm');
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the answer to finish');
    expect(generatedText(block)).to.equal(TINY_MODEL_EXPECTED.chatReply);
    // Labels, not internal ids: the engine and the catalogue's model name.
    const provenance = shadow(block).querySelector('.provenance')?.textContent ?? '';
    expect(provenance).to.contain('In-browser model on the CPU · AI Blocks test model');
    expect(provenance).to.not.match(/\bwasm\b|ai-blocks-tiny/);
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the save');
    expect(writes(app, 'updateEntity')).to.equal(1);
    expect(writes(app, 'createEntity')).to.equal(0);
    const stored = app.store.get('ai-text-block');
    expect(entityPropertiesSchema('ai-text-block').safeParse(stored?.properties).success).to.equal(true);
    expect(stored?.properties).to.deep.include({
      [TYPE_IDS.property.prompt]: 'Say the alphabet',
      [TYPE_IDS.property.textualContent]: TINY_MODEL_EXPECTED.chatReply,
      [TYPE_IDS.property['engine-id']]: 'wasm',
      [TYPE_IDS.property['completion-status']]: 'complete',
    });
    const dbName = app.config.dbName;
    app.remove();
    const reloaded = await mountHost({ dbName });
    await until(
      () =>
        shadow(textBlock(reloaded)).querySelector('.kept')?.textContent.includes(TINY_MODEL_EXPECTED.chatReply) ??
        false,
      'the kept text after reload',
    );
    reloaded.remove();
  });

  it('generates through the host’s service module', async () => {
    const app = await mountHost();
    const block = textBlock(app);
    await compose(block, 'Hello host', 'service-module');
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the service answer');
    expect(shadow(block).querySelector('.generated')?.innerHTML, generatedText(block)).to.contain(
      '<strong>host</strong>',
    );
    expect(app.log.serviceRequests).to.equal(1);
    // The host chose the model: the line names the service and the model its answer named.
    expect(shadow(block).querySelector('.provenance')?.textContent).to.contain('Page’s AI service · host-model');
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the save');
    expect(app.store.get('ai-text-block')?.properties[TYPE_IDS.property['model-id']]).to.equal('host-model');
    app.remove();
  });

  it('cloud engine on the local llama.cpp server: stops mid-stream, keeps the partial as stopped', async function () {
    requireModelServer(servers, 'slowModel');
    const app = await mountHost();
    const block = textBlock(app);
    block.settings = { openaiCompatible: { baseURL: servers.slowModel, model: 'tiny' } };
    await compose(block, 'Count', 'openai-compatible');
    button(block, 'generate')?.click();
    await until(() => generatedText(block).length >= 3, 'some streamed text');
    button(block, 'stop')?.click();
    await until(() => button(block, 'keep') !== null, 'the stopped state');
    const partial = generatedText(block);
    expect(TINY_MODEL_EXPECTED.chatReply.startsWith(partial)).to.equal(true);
    expect(partial.length).to.be.lessThan(26);
    expect(shadow(block).textContent).to.contain('Stopped');
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the save');
    expect(app.store.get('ai-text-block')?.properties[TYPE_IDS.property['completion-status']]).to.equal('stopped');
    expect(app.store.get('ai-text-block')?.properties[TYPE_IDS.property.textualContent]).to.equal(partial);
    app.remove();
  });

  it('keeps the text on screen when a save fails, retries, and ends with one saved version', async () => {
    const app = await mountHost();
    const block = textBlock(app);
    const store = app.store;
    const update = store.update.bind(store);
    let failures = 1;
    store.update = (data) => (failures-- > 0 ? Promise.reject(new Error('disk hiccup')) : update(data));
    await compose(block, 'Retry me', 'wasm');
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the answer');
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('[data-save="unsaved"]') !== null, 'the unsaved state');
    // The kept text is drawn in the frame after it shows (Markdown renders within a frame budget).
    await until(
      () => shadow(block).querySelector('.kept')?.textContent.includes(TINY_MODEL_EXPECTED.chatReply) ?? false,
      'the kept text on screen',
    );
    expect(shadow(block).querySelector('.kept')?.textContent).to.contain(TINY_MODEL_EXPECTED.chatReply);
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the retried save');
    expect(writes(app, 'updateEntity')).to.equal(2);
    expect(app.store.get('ai-text-block')?.properties[TYPE_IDS.property.textualContent]).to.equal(
      TINY_MODEL_EXPECTED.chatReply,
    );
    app.remove();
  });

  it('runs nothing and loads nothing from hostile model output', async () => {
    const app = await mountHost();
    const block = textBlock(app);
    Reflect.deleteProperty(window, '__hostile');
    block.settings = { openaiCompatible: { baseURL: faultUrl('hostile'), model: 'x' } };
    await compose(block, 'Be evil', 'openai-compatible');
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the hostile answer');
    const output = shadow(block).querySelector('.generated');
    for (const link of output?.querySelectorAll('a') ?? []) link.dispatchEvent(new MouseEvent('mouseover'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((window as unknown as { __hostile?: string }).__hostile).to.equal(undefined);
    expect(output?.querySelector('script, iframe, img, [onerror], [onmouseover]')).to.equal(null);
    expect(output?.querySelector('h1')?.textContent).to.equal('Safe heading');
    expect(performance.getEntriesByType('resource').some((entry) => entry.name.includes('127.0.0.1:9'))).to.equal(
      false,
    );
    app.remove();
  });

  it('shows saved text and nothing that would change it when readonly, with zero writes', async () => {
    const setup = await mountHost();
    await setup.store.update({
      entityId: 'ai-text-block',
      entityTypeId: BLOCK_METADATA['ai-text'].schema,
      properties: { [TYPE_IDS.property.textualContent]: 'Read-only words', [TYPE_IDS.property.prompt]: 'p' },
    });
    const dbName = setup.config.dbName;
    setup.remove();
    const app = await mountHost({ dbName, mode: { readonly: true } });
    const block = textBlock(app);
    await until(() => shadow(block).textContent.includes('Read-only words'), 'the saved text');
    expect(shadow(block).querySelector('textarea, button, select')).to.equal(null);
    expect(app.log.writeRequests).to.equal(0);
    app.remove();
  });

  it('opens an entity written by HASH’s original AI Text block', async () => {
    const setup = await mountHost();
    await setup.store.delete('ai-text-block');
    await setup.store.create({
      entityId: 'ai-text-block',
      entityTypeId: LEGACY_HASH.entityType.aiTextBlock,
      properties: {
        [BP.property.textualContent]: 'Written by **HASH**',
        [LEGACY_HASH.property.openaiTextModelPrompt]: 'Old prompt',
        [LEGACY_HASH.property.openaiTextModelName]: 'gpt-3.5-turbo',
      },
    });
    const dbName = setup.config.dbName;
    setup.remove();
    const app = await mountHost({ dbName });
    const block = textBlock(app);
    await until(() => shadow(block).querySelector('.kept strong')?.textContent === 'HASH', 'the legacy text');
    expect(shadow(block).querySelector('.provenance')?.textContent).to.contain('gpt-3.5-turbo');
    app.remove();
  });

  it('is accessible', async () => {
    const app = await mountHost();
    const block = textBlock(app);
    await block.updateComplete;
    await expect(block).to.be.accessible();
    app.remove();
  });
});
