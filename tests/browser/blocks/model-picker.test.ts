import { formatBytes, TEST_MODEL_BYTES as TINY_MODEL_BYTES } from '@ai-blocks/runtime';
import { TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { expect } from '@open-wc/testing';
import {
  blockIn,
  button,
  chooseEngine,
  mountHost,
  shadow,
  testServers,
  until,
  type BlockElement,
} from '../../helpers/host-page.js';

/** The first figure of "Storage used by this site: 1.3 MB of 10 GB", in bytes. */
function storageBytes(text: string): number {
  const match = /used by this site: ([\d.]+) (B|KB|MB|GB)/.exec(text);
  const unit = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9 }[match?.[2] ?? 'B'] ?? 1;
  return Number(match?.[1] ?? 'NaN') * unit;
}

const modelRow = (block: HTMLElement, id: string) =>
  shadow(block).querySelector<HTMLElement>(`[data-model="${CSS.escape(id)}"]`);
const rowState = (block: HTMLElement, id: string) => modelRow(block, id)?.dataset['state'];

async function addByUrl(block: BlockElement, url: string): Promise<string> {
  const picker = shadow(block).querySelector<HTMLDetailsElement>('details.model-picker');
  if (!picker) throw new Error('no model picker');
  picker.open = true;
  const input = shadow(block).querySelector<HTMLInputElement>('#model-url');
  if (!input) throw new Error('no URL field');
  input.value = url;
  button(block, 'add-model')?.click();
  await block.updateComplete;
  return `url:${url}`;
}

describe('the model picker (in AI Text, in the host)', () => {
  it('adds a model by URL, downloads it with progress into the cache, then deletes it', async function () {
    this.timeout(60_000);
    const { fault } = await testServers();
    const app = await mountHost();
    const block = blockIn(app, 'ai-text');
    await chooseEngine(block, 'wasm');
    const id = await addByUrl(block, `${fault.replace('SCENARIO', 'ok')}/picker/${String(Date.now())}-added.gguf`);
    await until(() => rowState(block, id) === 'download', 'the added model to need a download');
    expect((modelRow(block, id)?.querySelector('input[type="radio"]') as HTMLInputElement | null)?.checked).to.equal(
      true,
    );
    // The server says how big the file is (HEAD), so the row does too, before any download.
    const size = formatBytes(TINY_MODEL_BYTES);
    await until(
      () => modelRow(block, id)?.textContent.includes(`Needs a ${size} download`) === true,
      () => `the size from the server (got "${modelRow(block, id)?.textContent ?? ''}")`,
    );
    modelRow(block, id)?.querySelector<HTMLButtonElement>('button[data-action="download-model"]')?.click();
    await until(() => rowState(block, id) === 'ready', 'the download to finish');
    expect(modelRow(block, id)?.textContent).to.contain(`Downloaded · ${size}`);
    expect(shadow(block).querySelector('[data-storage]')?.textContent).to.match(
      /Storage used by this site: [\d.]+ MB of/,
    );
    await expect(block).to.be.accessible(); // with the model list open

    // Delete asks first, with what it frees; Keep keeps the model and gives the keyboard back.
    const deleteButton = () => modelRow(block, id)?.querySelector<HTMLButtonElement>('[data-action="delete-model"]');
    deleteButton()?.click();
    await until(() => button(block, 'confirm-delete') !== null, 'the question');
    expect(modelRow(block, id)?.querySelector('.delete-question')?.textContent).to.contain(`It frees ${size}`);
    await until(() => shadow(block).activeElement === button(block, 'confirm-delete'), 'focus on the question');
    button(block, 'cancel-delete')?.click();
    await until(() => shadow(block).activeElement === deleteButton(), 'focus back on Delete');
    expect(rowState(block, id)).to.equal('ready');
    // Then deleted for real: the row needs a download again and the storage figure is read again.
    const usage = () => storageBytes(shadow(block).querySelector('[data-storage]')?.textContent ?? '');
    const before = usage();
    deleteButton()?.click();
    await until(() => button(block, 'confirm-delete') !== null, 'the question');
    button(block, 'confirm-delete')?.click();
    await until(() => rowState(block, id) === 'download', 'the model to be deleted');
    await until(
      () => usage() < before,
      () => `the storage figure to go down from ${String(before)} (${usage()})`,
    );
    app.remove();
  });

  it('shows download progress and cancels a download', async () => {
    const { fault } = await testServers();
    const app = await mountHost();
    const block = blockIn(app, 'ai-text');
    await chooseEngine(block, 'wasm');
    const id = await addByUrl(
      block,
      `${fault.replace('SCENARIO', 'slow-model')}/picker/${String(Date.now())}-slow.gguf`,
    );
    await until(() => rowState(block, id) === 'download', 'the added model');
    modelRow(block, id)?.querySelector<HTMLButtonElement>('button[data-action="download-model"]')?.click();
    await until(
      () => (shadow(block).querySelector<HTMLProgressElement>('.download progress')?.value ?? 0) > 0.3,
      'visible progress',
    );
    button(block, 'cancel-download')?.click();
    await until(() => shadow(block).querySelector('.download') === null, 'the download to stop');
    expect(rowState(block, id)).to.equal('download');
    expect(shadow(block).querySelector('[role="alert"]')).to.equal(null); // a cancel is not an error
    app.remove();
  });

  it('says what went wrong when a download is cut off, and rejects a URL that is not one', async () => {
    const { fault } = await testServers();
    const app = await mountHost();
    const block = blockIn(app, 'ai-text');
    await chooseEngine(block, 'wasm');
    const id = await addByUrl(block, `${fault.replace('SCENARIO', 'truncated')}/picker/${String(Date.now())}-cut.gguf`);
    await until(() => rowState(block, id) === 'download', 'the added model');
    modelRow(block, id)?.querySelector<HTMLButtonElement>('button[data-action="download-model"]')?.click();
    await until(() => shadow(block).querySelector('.model-picker [role="alert"]') !== null, 'an error message');
    expect(shadow(block).querySelector('.model-picker [role="alert"]')?.textContent).to.contain(
      'could not be downloaded',
    );
    const before = shadow(block).querySelectorAll('[data-model]').length;
    await addByUrl(block, 'not a url');
    expect(shadow(block).querySelectorAll('[data-model]').length).to.equal(before);
    expect(shadow(block).querySelector<HTMLInputElement>('#model-url')?.validationMessage).to.contain('not a URL');
    app.remove();
  });

  it('runs a GGUF the person opens from their disk, read in place (no upload, no download)', async () => {
    const app = await mountHost();
    const block = blockIn(app, 'ai-text');
    await chooseEngine(block, 'wasm');
    const bytes = await (await fetch('/dist/runtime-assets/models/ai-blocks-tiny.gguf')).arrayBuffer();
    const file = new File([bytes], 'my-own-model.gguf', { type: 'application/octet-stream' });
    const picker = shadow(block).querySelector<HTMLDetailsElement>('details.model-picker');
    if (picker) picker.open = true;
    const input = shadow(block).querySelector<HTMLInputElement>('#model-file');
    if (!input) throw new Error('no file input');
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    const id = `file:my-own-model.gguf:${String(file.size)}`;
    await until(() => rowState(block, id) === 'ready', 'the opened model');
    expect(modelRow(block, id)?.textContent).to.contain('From your disk');
    const writesBefore = app.log.writeRequests;
    const prompt = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
    if (!prompt) throw new Error('no prompt');
    prompt.value = 'Hi';
    prompt.dispatchEvent(new Event('input'));
    await block.updateComplete;
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the answer');
    expect(shadow(block).querySelector('.generated')?.textContent.trim()).to.equal(TINY_MODEL_EXPECTED.chatReply);
    expect(shadow(block).querySelector('.provenance')?.textContent).to.contain('my-own-model');
    expect(app.log.writeRequests).to.equal(writesBefore); // nothing of the file went to the graph
    app.remove();
  });
});
