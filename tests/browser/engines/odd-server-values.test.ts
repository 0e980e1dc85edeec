// A server's finish reason named like an Object.prototype member (`toString`) once put a
// function into provenance: the host's structuredClone refused it and the output was never
// saved (docs/security.md). Through the real AI Text block, host page and fault server.
import { TYPE_IDS } from '@ai-blocks/block-metadata';
import { expect } from '@open-wc/testing';
import { blockIn, button, mountHost, shadow, testServers, until } from '../../helpers/host-page.js';

describe('a finish reason named "toString" from an OpenAI-compatible server', () => {
  it('AI Text shows the answer, keeps it, and stores finish reason "other"', async () => {
    const { fault } = await testServers();
    const app = await mountHost();
    const block = blockIn(app, 'ai-text');
    block.settings = { openaiCompatible: { baseURL: fault.replace('SCENARIO', 'finish-tostring'), model: 'x' } };
    await block.updateComplete;
    const select = shadow(block).querySelector<HTMLSelectElement>('#engine');
    const textarea = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
    if (!select || !textarea) throw new Error('no composer');
    select.value = 'openai-compatible';
    select.dispatchEvent(new Event('change'));
    textarea.value = 'Say hello';
    textarea.dispatchEvent(new Event('input'));
    await until(() => button(block, 'generate')?.disabled === false, 'Generate to be enabled');
    button(block, 'generate')?.click();
    await until(() => button(block, 'keep') !== null, 'the answer to finish');
    button(block, 'keep')?.click();
    await until(
      () => shadow(block).querySelector('[data-save="saved"]') !== null,
      () => `the save (${shadow(block).querySelector('[data-save]')?.textContent ?? 'no save state'})`,
    );
    const stored = app.store.get('ai-text-block');
    expect(stored?.properties).to.deep.include({
      [TYPE_IDS.property.textualContent]: 'Hello, world!',
      [TYPE_IDS.property['finish-reason']]: 'other',
    });
    app.remove();
  });
});
