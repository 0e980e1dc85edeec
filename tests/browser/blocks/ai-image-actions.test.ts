// AI Image's options and image actions as a person meets them: the options
// follow the chosen model and are what the engine receives; a candidate or a
// kept image opens large, with its prompt, pixel size, model and Download;
// Download saves an image's bytes through a blob URL; the model stored is the
// one the server says it used. The block talks to the recording server through
// the OpenAI-compatible image engine.
import { BP, TYPE_IDS } from '@ai-blocks/block-metadata';
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { IMAGE_MODELS } from '../../../blocks/ai-image/src/image-models.js';
import { choose } from '../../helpers/chat-block.js';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import { blockIn, button, mountHost, shadow, until, type BlockElement } from '../../helpers/host-page.js';
import { recordingSession, type RecordingSession } from '../../helpers/recording-server-client.js';

const imageBlock = (app: AiBlocksHostApp): BlockElement => blockIn(app, 'ai-image');
const optionsOf = (block: BlockElement, selector: string) =>
  [...(shadow(block).querySelector<HTMLSelectElement>(selector)?.options ?? [])].map((option) => option.value);
const candidates = (block: BlockElement) => [...shadow(block).querySelectorAll<HTMLElement>('figure[data-candidate]')];
const imageCalls = async (session: RecordingSession) =>
  (await session.calls()).filter((call) => call.path.endsWith('/images/generations')).map((call) => call.body);

async function useModel(block: BlockElement, session: RecordingSession, model: string): Promise<void> {
  block.settings = { openaiCompatible: { baseURL: session.baseURL, model } };
  await block.updateComplete;
}

const set = choose;

async function generate(block: BlockElement, prompt: string, expected: number): Promise<void> {
  const field = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
  if (!field) throw new Error('no prompt field');
  field.value = prompt;
  field.dispatchEvent(new Event('input'));
  await block.updateComplete;
  button(block, 'generate')?.click();
  await until(
    () => candidates(block).length === expected && button(block, 'cancel') === null,
    `${String(expected)} candidates`,
  );
}

/** Anchor clicks as the block's download makes them (never in the document): watched, not followed. */
function watchDownloads(): { clicked: { href: string; download: string; bytes: Uint8Array }[]; stop: () => void } {
  const clicked: { href: string; download: string; bytes: Uint8Array }[] = [];
  Object.defineProperty(HTMLAnchorElement.prototype, 'click', {
    configurable: true,
    value(this: HTMLAnchorElement) {
      const { href, download } = this;
      void fetch(href).then(async (response) =>
        clicked.push({ href, download, bytes: new Uint8Array(await response.arrayBuffer()) }),
      );
    },
  });
  // Anchors have no click of their own: deleting the watcher brings back HTMLElement's.
  return { clicked, stop: () => delete (HTMLAnchorElement.prototype as { click?: unknown }).click };
}

const largeView = (block: BlockElement) => shadow(block).querySelector('dialog') as HTMLDialogElement;
const detail = (block: BlockElement, name: string) =>
  largeView(block).querySelector(`[data-detail="${name}"]`)?.textContent.trim();

/** A small PNG, base64, as an images answer carries it. */
function pngBase64(): string {
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 32;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.fillStyle = '#3a6';
  context.fillRect(0, 0, 32, 32);
  return canvas.toDataURL('image/png').split(',')[1] ?? '';
}

/** Generates one image and keeps it; resolves with the kept figure. */
async function keepOne(app: AiBlocksHostApp, block: BlockElement, prompt: string): Promise<HTMLElement> {
  await set(block, '#count', '1');
  await generate(block, prompt, 1);
  candidates(block)[0]?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.click();
  await block.updateComplete;
  button(block, 'keep')?.click();
  await until(
    () =>
      shadow(block).querySelector('figure[data-kept] img') !== null &&
      shadow(block).querySelector('[data-save="saved"]') !== null,
    'the kept image',
  );
  return shadow(block).querySelector<HTMLElement>('figure[data-kept]') as HTMLElement;
}

describe('AI Image: model options, open large and download', () => {
  // A failed test leaves its host behind: remove it so the next test's page is the same.
  afterEach(() => {
    for (const app of document.querySelectorAll('ai-blocks-host-app')) app.remove();
  });

  it('offers what the chosen model accepts, and sends exactly the options shown', async function () {
    this.timeout(40_000);
    const session = await recordingSession('images');
    const app = await mountHost();
    const block = imageBlock(app);

    // dall-e-3 makes one image at a time, in its own sizes, with a quality
    // choice.
    await useModel(block, session, 'dall-e-3');
    expect(optionsOf(block, '#count')).to.deep.equal(IMAGE_MODELS['dall-e-3']?.counts.map(String));
    expect(shadow(block).querySelector<HTMLSelectElement>('#count')?.disabled).to.equal(true);
    expect(shadow(block).textContent).to.contain('This model makes one image at a time.');
    expect(optionsOf(block, '#size')).to.deep.equal(IMAGE_MODELS['dall-e-3']?.sizes);
    expect(optionsOf(block, '#quality')).to.deep.equal(['', ...(IMAGE_MODELS['dall-e-3']?.qualities ?? [])]);
    await set(block, '#size', '1792x1024');
    await set(block, '#quality', 'hd');
    await generate(block, 'A wide lighthouse', 1);

    // gpt-image-1: up to four, other sizes; a size or quality it does not take
    // falls back to one it does.
    await useModel(block, session, 'gpt-image-1');
    expect(optionsOf(block, '#count')).to.deep.equal(['1', '2', '3', '4']);
    expect(shadow(block).querySelector<HTMLSelectElement>('#count')?.disabled).to.equal(false);
    expect(optionsOf(block, '#size')).to.deep.equal(IMAGE_MODELS['gpt-image-1']?.sizes);
    expect(shadow(block).querySelector<HTMLSelectElement>('#size')?.value).to.equal(
      IMAGE_MODELS['gpt-image-1']?.sizes[0],
    );
    expect(shadow(block).querySelector<HTMLSelectElement>('#quality')?.value).to.equal('');
    await set(block, '#count', '3');
    await set(block, '#size', '1536x1024');
    await set(block, '#quality', 'high');
    await generate(block, 'Three lighthouses', 3);

    // dall-e-2: no quality choice at all.
    await useModel(block, session, 'dall-e-2');
    expect(shadow(block).querySelector('#quality')).to.equal(null);
    expect(optionsOf(block, '#size')).to.deep.equal(IMAGE_MODELS['dall-e-2']?.sizes);
    await set(block, '#count', '2');
    await set(block, '#size', '512x512');
    await generate(block, 'Two small ones', 2);

    const [wide, three, small] = await imageCalls(session);
    expect(wide).to.deep.include({
      model: 'dall-e-3',
      n: 1,
      size: '1792x1024',
      quality: 'hd',
      prompt: 'A wide lighthouse',
    });
    expect(three).to.deep.include({
      model: 'gpt-image-1',
      n: 3,
      size: '1536x1024',
      quality: 'high',
      prompt: 'Three lighthouses',
    });
    expect(small).to.deep.include({ model: 'dall-e-2', n: 2, size: '512x512' });
    expect(small).to.not.have.property('quality');
    app.remove();
  });

  it('opens a candidate and a kept image large, and closes again', async () => {
    const session = await recordingSession('images');
    const app = await mountHost();
    const block = imageBlock(app);
    await useModel(block, session, 'dall-e-2');
    await set(block, '#count', '2');
    await generate(block, 'Two boats', 2);
    const dialog = shadow(block).querySelector('dialog');
    expect(dialog?.open).to.equal(false);
    const second = candidates(block)[1]?.querySelector('img');
    second?.click();
    await until(() => dialog?.open === true, 'the large view');
    const large = dialog?.querySelector('img');
    expect(large?.getAttribute('src')).to.equal(second?.getAttribute('src'));
    expect(large?.getAttribute('alt')).to.equal('Two boats');
    await until(() => (large?.naturalWidth ?? 0) > 0, 'the large image to load');
    dialog?.querySelector<HTMLButtonElement>('button[data-action="close"]')?.click();
    // Closed, and emptied (the dialog's close event has run).
    await until(() => dialog?.open === false && dialog.querySelector('img') === null, 'the large view to close');

    // The Open button of the first candidate, then a kept image.
    candidates(block)[0]?.querySelector<HTMLButtonElement>('figcaption button')?.click();
    await until(
      () =>
        dialog?.open === true &&
        dialog.querySelector('img')?.getAttribute('src') ===
          candidates(block)[0]?.querySelector('img')?.getAttribute('src'),
      'the first candidate, large',
    );
    dialog?.close();
    await until(() => dialog?.querySelector('img') === null, 'the large view to empty');
    button(block, 'discard')?.click();
    const kept = await keepOne(app, block, 'One boat');
    kept.querySelector('img')?.click();
    await until(
      () =>
        dialog?.open === true &&
        dialog.querySelector('img')?.getAttribute('src') === kept.querySelector('img')?.getAttribute('src'),
      'the kept image, large',
    );
    expect(dialog?.querySelector('img')?.getAttribute('alt')).to.equal('One boat');
    dialog?.close();
    app.remove();
  });

  it('Download saves the kept image’s bytes through a blob URL, under its file name', async () => {
    const session = await recordingSession('images');
    const app = await mountHost();
    const block = imageBlock(app);
    await useModel(block, session, 'dall-e-2');
    const kept = await keepOne(app, block, 'A buoy');
    const [file] = app.store.all().filter(({ entity }) => entity.metadata.entityTypeId === BP.entityType.remoteFile);
    const stored = new Uint8Array(
      await (app.store.file(file?.entity.metadata.recordId.entityId ?? '') as Blob).arrayBuffer(),
    );
    const fileName = file?.entity.properties[BP.property.fileName] as string;

    const { clicked, stop } = watchDownloads();
    try {
      kept.querySelector<HTMLButtonElement>('button[data-action="download"]')?.click();
      await until(() => clicked.length === 1, 'the download');
    } finally {
      stop();
    }
    const [download] = clicked;
    expect(download?.href.startsWith('blob:')).to.equal(true);
    expect(download?.download).to.equal(fileName);
    expect(download?.bytes.join(',')).to.equal(stored.join(','));
    expect(shadow(block).querySelector('[data-notice="download"]')).to.equal(null);
    app.remove();
  });

  it('shows prompt, pixel size, model and Download large; Escape or Close closes, focus goes back', async function () {
    this.timeout(40_000);
    const session = await recordingSession('images');
    const app = await mountHost();
    const block = imageBlock(app);
    await useModel(block, session, 'dall-e-2');
    await set(block, '#count', '2');
    // The recording server makes images at most 256 px a side: the view shows the image's own pixels.
    await set(block, '#size', '512x512');
    await generate(block, 'Two harbours', 2);
    const dialog = largeView(block);
    const thumb = candidates(block)[1]?.querySelector<HTMLButtonElement>('button.thumb');
    if (!thumb) throw new Error('no thumbnail button');
    thumb.focus();
    await sendKeys({ press: 'Enter' });
    await until(
      () => dialog.open && detail(block, 'size') === '256 × 256',
      () => `the size (${detail(block, 'size')})`,
    );
    const heading = shadow(block).getElementById(dialog.getAttribute('aria-labelledby') ?? '');
    expect(heading?.textContent.trim(), 'the dialog is named by its prompt').to.equal('Two harbours');
    expect(detail(block, 'model')).to.equal('dall-e-2');
    const shownBytes = new Uint8Array(await (await fetch(thumb.querySelector('img')?.src ?? '')).arrayBuffer());
    const candidateDownload = watchDownloads();
    try {
      button(block, 'download')?.click();
      await until(() => candidateDownload.clicked.length === 1, 'the candidate’s download');
    } finally {
      candidateDownload.stop();
    }
    const [fromCandidate] = candidateDownload.clicked;
    expect(fromCandidate?.href.startsWith('blob:')).to.equal(true);
    expect(fromCandidate?.download).to.match(/^ai-image-[\w-]+\.png$/);
    expect(fromCandidate?.bytes.join(',')).to.equal(shownBytes.join(','));
    await sendKeys({ press: 'Escape' });
    await until(() => !dialog.open && dialog.querySelector('img') === null, 'Escape to close the large view');
    expect(shadow(block).activeElement, 'focus back on the thumbnail').to.equal(thumb);

    // Kept, then after a reload: the same view for the kept image, and its file is the one downloaded.
    thumb.closest('figure')?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.click();
    await block.updateComplete;
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the kept image to save');
    const dbName = app.config.dbName;
    app.remove();
    const reloaded = await mountHost({ dbName });
    const again = imageBlock(reloaded);
    const keptThumb = () => shadow(again).querySelector<HTMLButtonElement>('figure[data-kept] button.thumb');
    await until(() => (keptThumb()?.querySelector('img')?.naturalWidth ?? 0) > 0, 'the kept image after reload');
    const [file] = reloaded.store
      .all()
      .filter(({ entity }) => entity.metadata.entityTypeId === BP.entityType.remoteFile);
    const stored = new Uint8Array(
      await (reloaded.store.file(file?.entity.metadata.recordId.entityId ?? '') as Blob).arrayBuffer(),
    );
    expect(file?.entity.properties[BP.property.fileName]).to.equal(fromCandidate?.download);
    keptThumb()?.focus();
    await sendKeys({ press: 'Enter' });
    const keptView = largeView(again);
    await until(() => keptView.open && detail(again, 'size') === '256 × 256', 'the kept image, large');
    expect(keptView.querySelector('h2')?.textContent.trim()).to.equal('Two harbours');
    expect(detail(again, 'model')).to.equal('dall-e-2');
    const keptDownload = watchDownloads();
    try {
      keptView.querySelector<HTMLButtonElement>('button[data-action="download"]')?.click();
      await until(() => keptDownload.clicked.length === 1, 'the kept image’s download');
    } finally {
      keptDownload.stop();
    }
    expect(keptDownload.clicked[0]?.download).to.equal(fromCandidate?.download);
    expect(keptDownload.clicked[0]?.bytes.join(',')).to.equal(stored.join(','));
    keptView.querySelector<HTMLButtonElement>('button[data-action="close"]')?.click();
    await until(() => !keptView.open, 'Close to close the large view');
    expect(shadow(again).activeElement, 'focus back on the kept thumbnail').to.equal(keptThumb());
    reloaded.remove();
  });

  it('stores and shows the model the server says it used, not the one asked for', async () => {
    const session = await recordingSession('images');
    // The session's next answer, scripted (with a 200): a gateway naming the model that made the image.
    await session.script({
      failures: [{ status: 200, body: { created: 1, model: 'dall-e-3-2025-hd', data: [{ b64_json: pngBase64() }] } }],
    });
    const app = await mountHost();
    const block = imageBlock(app);
    await useModel(block, session, 'dall-e-3');
    await generate(block, 'A served lighthouse', 1);
    candidates(block)[0]?.querySelector<HTMLButtonElement>('button.thumb')?.click();
    await until(() => largeView(block).open && detail(block, 'model') !== undefined, 'the candidate, large');
    expect(detail(block, 'model')).to.equal('dall-e-3-2025-hd');
    largeView(block).close();
    candidates(block)[0]?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.click();
    await block.updateComplete;
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the kept image to save');
    const [request] = await imageCalls(session);
    expect(request?.['model'], 'the model asked for').to.equal('dall-e-3');
    const links = app.store
      .all()
      .filter(({ entity }) => entity.metadata.entityTypeId === TYPE_IDS.entityType['generated-image']);
    expect(links).to.have.length(1);
    expect(links[0]?.entity.properties[TYPE_IDS.property['model-id']]).to.equal('dall-e-3-2025-hd');
    await until(() => shadow(block).querySelector('figure[data-kept] .provenance') !== null, 'the kept image');
    expect(shadow(block).querySelector('figure[data-kept] .provenance')?.textContent).to.contain('dall-e-3-2025-hd');
    app.remove();
  });
});
