import { BP, TYPE_IDS } from '@ai-blocks/block-metadata';
import { expect } from '@open-wc/testing';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import {
  button,
  chooseEngine,
  mountHost,
  shadow,
  testServers,
  until,
  type TestServers,
} from '../../helpers/host-page.js';

let servers: TestServers;
before(async () => {
  servers = await testServers();
});

const faultUrl = (scenario: string) => servers.fault.replace('SCENARIO', scenario);

type ImageBlock = HTMLElement & { settings: Record<string, unknown>; updateComplete: Promise<boolean> };
const imageBlock = (app: AiBlocksHostApp) => app.slots.get('ai-image')?.element as ImageBlock;

async function generate(
  block: ImageBlock,
  prompt: string,
  options: { engine?: string; count?: string; size?: string } = {},
): Promise<void> {
  await block.updateComplete;
  const set = (selector: string, value: string) => {
    const select = shadow(block).querySelector<HTMLSelectElement>(selector);
    if (!select) throw new Error(`no ${selector}`);
    select.value = value;
    select.dispatchEvent(new Event('change'));
  };
  if (options.engine) set('#engine', options.engine);
  await block.updateComplete;
  if (options.count) set('#count', options.count);
  if (options.size) set('#size', options.size);
  const textarea = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
  if (!textarea) throw new Error('no prompt');
  textarea.value = prompt;
  textarea.dispatchEvent(new Event('input'));
  await block.updateComplete;
  button(block, 'generate')?.click();
}

const fileEntities = (app: AiBlocksHostApp) =>
  app.store.all().filter(({ entity }) => entity.metadata.entityTypeId === BP.entityType.remoteFile);
const imageLinks = (app: AiBlocksHostApp) =>
  app.store.all().filter(({ entity }) => entity.metadata.entityTypeId === TYPE_IDS.entityType['generated-image']);

describe('AI Image block in the host', () => {
  it('generates four, keeps two: exactly two files and two links, bytes as served, shown after a reload', async () => {
    const app = await mountHost();
    const block = imageBlock(app);
    block.settings = { openaiCompatible: { baseURL: faultUrl('images-ok'), model: 'dall-e-2' } };
    await generate(block, 'A gradient', { count: '4', size: '256x256' });
    await until(() => shadow(block).querySelectorAll('figure[data-candidate]').length === 4, 'four candidates');
    expect(fileEntities(app)).to.have.length(0); // nothing uploaded before Keep
    const boxes = shadow(block).querySelectorAll<HTMLInputElement>('figure[data-candidate] input[type="checkbox"]');
    boxes[0]?.click();
    boxes[2]?.click();
    await block.updateComplete;
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the kept images to save');
    expect(fileEntities(app)).to.have.length(2);
    expect(imageLinks(app)).to.have.length(2);
    // The same request again gives the same deterministic PNGs: compare with what was stored.
    const served = (await (
      await fetch(`${faultUrl('images-ok')}/images/generations`, {
        method: 'POST',
        body: JSON.stringify({ n: 4, size: '256x256', prompt: 'x' }),
      })
    ).json()) as { data: { b64_json: string }[] };
    const storedBytes = await Promise.all(
      fileEntities(app).map(
        async ({ entity }) =>
          new Uint8Array(await (app.store.file(entity.metadata.recordId.entityId) as Blob).arrayBuffer()),
      ),
    );
    const servedBytes = [served.data[0], served.data[2]].map((item) =>
      Uint8Array.from(atob(item?.b64_json ?? ''), (char) => char.charCodeAt(0)),
    );
    expect(storedBytes.map((bytes) => bytes.join(','))).to.have.members(servedBytes.map((bytes) => bytes.join(',')));
    for (const { entity } of imageLinks(app))
      expect(entity.properties[TYPE_IDS.property.prompt]).to.equal('A gradient');
    await until(() => shadow(block).querySelectorAll('figure[data-kept]').length === 2, 'the kept grid');
    for (const image of shadow(block).querySelectorAll('figure[data-kept] img'))
      expect(image.getAttribute('alt')).to.equal('A gradient');
    const dbName = app.config.dbName;
    app.remove();
    const reloaded = await mountHost({ dbName });
    await until(
      () => shadow(imageBlock(reloaded)).querySelectorAll('figure[data-kept]').length === 2,
      'the kept images after reload',
    );
    reloaded.remove();
  });

  it('shows the options it will send: the size on screen is the size stored with the kept image', async () => {
    const app = await mountHost();
    const block = imageBlock(app);
    block.settings = { openaiCompatible: { baseURL: faultUrl('images-ok'), model: 'dall-e-2' } };
    await block.updateComplete;
    const shownSize = shadow(block).querySelector<HTMLSelectElement>('#size')?.value;
    await generate(block, 'Default size');
    await until(() => shadow(block).querySelectorAll('figure[data-candidate]').length > 0, 'a candidate');
    shadow(block).querySelector<HTMLInputElement>('figure[data-candidate] input[type="checkbox"]')?.click();
    await block.updateComplete;
    button(block, 'keep')?.click();
    await until(() => imageLinks(app).length === 1, 'the kept image');
    expect(imageLinks(app)[0]?.entity.properties[TYPE_IDS.property['image-size']]).to.equal(shownSize);
    app.remove();
  });

  // Before the shared picker this was an error notice after Generate; now the picker says it at
  // once and the automatic choice is the in-browser engine (tests/browser/blocks/ai-image-local.test.ts).
  it('says at once that the host offers no AI service, and does not offer it', async () => {
    const app = await mountHost({ serviceBase: `${faultUrl('service-forbidden').replace(/\/v1$/, '')}/api/service/` });
    const block = imageBlock(app);
    const service = () => shadow(block).querySelector<HTMLOptionElement>('#engine option[value="service-module"]');
    await until(
      () =>
        shadow(block).querySelector('[data-reason="service-module"]')?.textContent.includes('does not offer') === true,
      'the reason',
      3000,
    );
    expect(service()?.disabled).to.equal(true);
    app.remove();
  });

  it('cancels while waiting', async () => {
    const app = await mountHost();
    const block = imageBlock(app);
    block.settings = { openaiCompatible: { baseURL: faultUrl('images-slow'), model: 'dall-e-2' } };
    await generate(block, 'Slow one');
    await until(() => button(block, 'cancel') !== null, 'the cancel button');
    button(block, 'cancel')?.click();
    await until(() => button(block, 'cancel') === null, 'the cancel to finish');
    expect(shadow(block).querySelector('figure[data-candidate], .error-notice')).to.equal(null);
    app.remove();
  });

  it('shows a message for a rate limit and for a content-policy refusal', async () => {
    const app = await mountHost();
    const block = imageBlock(app);
    block.settings = { openaiCompatible: { baseURL: faultUrl('images-ratelimit'), model: 'dall-e-2' } };
    await generate(block, 'Too many');
    await until(() => shadow(block).querySelector('.error-notice') !== null, 'the rate-limit notice', 20_000);
    expect(shadow(block).querySelector('.error-notice')?.getAttribute('data-code')).to.equal('RATE_LIMITED');
    block.settings = { openaiCompatible: { baseURL: faultUrl('images-policy'), model: 'dall-e-2' } };
    await generate(block, 'Not allowed');
    await until(
      () => shadow(block).querySelector('.error-notice')?.getAttribute('data-code') === 'CONTENT_FILTERED',
      'the policy notice',
    );
    expect(shadow(block).querySelector('.error-notice')?.textContent).to.contain('refused');
    app.remove();
  });

  it('works through the host’s service module', async () => {
    const app = await mountHost();
    const block = imageBlock(app);
    await chooseEngine(block, 'service-module');
    await generate(block, 'From the host');
    await until(() => shadow(block).querySelectorAll('figure[data-candidate]').length === 1, 'the service candidate');
    expect(app.log.serviceRequests).to.equal(1);
    app.remove();
  });

  it('shows kept images only when readonly, with zero writes', async () => {
    const app = await mountHost({ mode: { readonly: true } });
    const block = imageBlock(app);
    await block.updateComplete;
    expect(shadow(block).querySelector('textarea, button[data-action="generate"]')).to.equal(null);
    expect(app.log.writeRequests).to.equal(0);
    app.remove();
  });
});
