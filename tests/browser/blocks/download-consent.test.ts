// A large model is never downloaded without the person agreeing: pressing Send or Generate with
// such a model chosen asks first, says how much, and "Not now" leaves everything as it was.
import { expect } from '@open-wc/testing';
import { chatBlock, send, shownMessages } from '../../helpers/chat-block.js';
import { blockIn, button, chooseEngine, mountHost, shadow, until, type BlockElement } from '../../helpers/host-page.js';

const MODEL = 'smollm2-135m-instruct-q8_0';

async function chooseModel(block: BlockElement, id: string): Promise<void> {
  await chooseEngine(block, 'wasm');
  const radio = () =>
    shadow(block).querySelector<HTMLInputElement>(`[data-model="${CSS.escape(id)}"] input[type="radio"]`);
  await until(() => radio() !== null && !radio()?.disabled, `${id} to be offered`);
  radio()?.click();
  await until(() => radio()?.checked === true, `${id} to be chosen`);
  await until(
    () => (shadow(block).querySelector('#engine-summary')?.textContent ?? '').includes('download'),
    'the picker to say a download is needed',
  );
}

const consent = (block: HTMLElement) => shadow(block).querySelector<HTMLElement>('[data-consent]');
const modelRequests = () =>
  performance.getEntriesByType('resource').filter((entry) => entry.name.includes('SmolLM2-135M')).length;

describe('asking before a large model download', () => {
  afterEach(() => {
    for (const app of document.querySelectorAll('ai-blocks-host-app')) app.remove();
  });

  it('AI Chat asks on Send with the size; Not now downloads nothing and leaves the message to send again', async () => {
    const app = await mountHost();
    const block = chatBlock(app);
    await chooseModel(block, MODEL);
    const before = modelRequests();
    await send(block, 'Hello');
    await until(() => consent(block) !== null, 'the download question');
    expect(consent(block)?.textContent).to.match(/one-time download of \d+(\.\d)? MB/);
    expect(button(block, 'confirm-download')?.textContent).to.match(/Download \d+(\.\d)? MB and continue/);
    expect(shadow(block).activeElement).to.equal(button(block, 'confirm-download'));
    button(block, 'decline-download')?.click();
    await block.updateComplete;
    expect(consent(block)).to.equal(null);
    expect(shownMessages(block)).to.deep.equal(['user: Hello']);
    expect(shadow(block).querySelector('[data-streaming]')).to.equal(null);
    expect(modelRequests()).to.equal(before);
  });

  it('AI Text asks on Generate; agreeing starts the download it named', async () => {
    const app = await mountHost();
    const block = blockIn(app, 'ai-text');
    await chooseModel(block, MODEL);
    const field = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
    if (!field) throw new Error('no prompt');
    field.value = 'Write a line';
    field.dispatchEvent(new Event('input'));
    await block.updateComplete;
    button(block, 'generate')?.click();
    await until(() => consent(block) !== null, 'the download question');
    expect(shadow(block).querySelector('[aria-label="Generated text"]')).to.equal(null);
    button(block, 'confirm-download')?.click();
    // The model's host cannot be reached from here: the attempt itself is what agreeing started.
    await until(
      () => shadow(block).querySelector('[role="alert"][data-code]') !== null || button(block, 'stop') !== null,
      'the download to start',
    );
    expect(consent(block)).to.equal(null);
  });
});
