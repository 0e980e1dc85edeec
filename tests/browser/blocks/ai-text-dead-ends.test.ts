// AI Text after things go wrong or the person takes over: a run that fails before writing
// anything shows only why (no empty box, no zero-second credit, "Generate" rather than
// "Regenerate"), and text changed by hand is marked as edited by a person.
import { TYPE_IDS } from '@ai-blocks/block-metadata';
import { expect } from '@open-wc/testing';
import { blockIn, button, chooseEngine, mountHost, shadow, until } from '../../helpers/host-page.js';
import { recordingSession } from '../../helpers/recording-server-client.js';

async function setUp() {
  const session = await recordingSession('ai-text');
  const app = await mountHost();
  const block = blockIn(app, 'ai-text');
  block.settings = { openaiCompatible: { baseURL: session.baseURL, model: 'recorded-model' } };
  await chooseEngine(block, 'openai-compatible');
  return { app, block, session };
}

async function generate(block: HTMLElement & { updateComplete: Promise<boolean> }, prompt: string) {
  const field = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
  if (!field) throw new Error('no prompt field');
  field.value = prompt;
  field.dispatchEvent(new Event('input'));
  await block.updateComplete;
  await until(() => button(block, 'generate')?.disabled === false, 'Generate to be enabled');
  button(block, 'generate')?.click();
}

describe('AI Text: failed runs and hand edits', () => {
  afterEach(() => {
    for (const app of document.querySelectorAll('ai-blocks-host-app')) app.remove();
  });

  it('a run that fails before any text shows the error alone: no empty output, no credit, Generate', async () => {
    const { block, session } = await setUp();
    await session.script({
      failures: [{ status: 401, body: { error: { message: 'Bad key', code: 'invalid_api_key' } } }],
    });
    await generate(block, 'Write a line');
    await until(() => shadow(block).querySelector('[role="alert"][data-code]') !== null, 'the error notice');
    expect(shadow(block).querySelector('[aria-label="Generated text"]')).to.equal(null);
    expect(shadow(block).querySelector('.provenance')).to.equal(null);
    expect(button(block, 'generate')?.textContent.trim()).to.equal('Generate');
    // "How to set a key" explains where it is: it does not send focus somewhere else.
    const help = shadow(block).querySelector<HTMLDetailsElement>('details[data-action="configure-host"]');
    help?.querySelector('summary')?.click();
    expect(help?.open).to.equal(true);
    expect(help?.textContent.replace(/\s+/g, ' ')).to.contain('the in-browser engine, which needs no key');
  });

  it('text changed by hand says it was edited by a person, in the block and in the graph', async () => {
    const { app, block } = await setUp();
    await generate(block, 'Write a line');
    await until(() => button(block, 'keep') !== null, 'the answer');
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('.kept') !== null, 'the kept text');
    const edit = [...shadow(block).querySelectorAll('button')].find(
      (candidate) => candidate.textContent.trim() === 'Edit',
    );
    edit?.click();
    await block.updateComplete;
    const editor = shadow(block).querySelector<HTMLTextAreaElement>('#edit-text');
    if (!editor) throw new Error('no editor');
    editor.value = 'My own words now.';
    editor.dispatchEvent(new Event('input'));
    [...shadow(block).querySelectorAll('button')].find((candidate) => candidate.textContent.trim() === 'Save')?.click();
    await until(
      () => typeof app.store.get('ai-text-block')?.properties[TYPE_IDS.property['edited-at']] === 'string',
      'the edit to be saved with its mark',
    );
    const line = shadow(block).querySelector<HTMLElement>('.provenance');
    expect(line?.textContent).to.contain('edited by a person');
    expect(line?.textContent).to.contain('recorded-model');
  });

  it('Regenerate… can be cancelled: back to the kept text, nothing written', async () => {
    const { app, block } = await setUp();
    await generate(block, 'Write a line');
    await until(() => button(block, 'keep') !== null, 'the answer');
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('.kept') !== null, 'the kept text');
    const kept = shadow(block).querySelector('.kept')?.textContent;
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the save');
    const writes = app.log.entries.filter((entry) => entry.source === 'block' && entry.messageName === 'updateEntity');
    const labelled = (label: string) =>
      [...shadow(block).querySelectorAll('button')].find((candidate) => candidate.textContent.trim() === label);
    labelled('Regenerate…')?.click();
    await block.updateComplete;
    expect(shadow(block).querySelector('#prompt')).to.exist;
    button(block, 'cancel')?.click();
    await block.updateComplete;
    expect(shadow(block).querySelector('#prompt')).to.equal(null);
    expect(shadow(block).querySelector('.kept')?.textContent).to.equal(kept);
    const after = app.log.entries.filter((entry) => entry.source === 'block' && entry.messageName === 'updateEntity');
    expect(after.length).to.equal(writes.length);
  });
});
