// The engine and model choice as one compact line (a disclosure) above the prompt or message
// field: what will answer and how, with the list, the reasons and the models inside.
import { probeCapabilities } from '@ai-blocks/runtime';
import { expect } from '@open-wc/testing';
import { blockIn, mountHost, shadow, until } from '../../helpers/host-page.js';

const line = (block: HTMLElement) =>
  shadow(block).querySelector('[data-engine-line]')?.textContent.replace(/\s+/g, ' ').trim() ?? '';

describe('The engine picker as one line', () => {
  it('AI Text: names the model that will answer and how it was chosen; the rest opens from it', async () => {
    const app = await mountHost({ serviceBase: 'http://127.0.0.1:9/api/service/' });
    try {
      const block = blockIn(app, 'ai-text');
      await until(
        () => line(block).includes('AI Blocks test model'),
        () => `the line (got "${line(block)}")`,
      );
      expect(line(block)).to.match(/in this browser \(CPU\), chosen automatically/);
      const picker = shadow(block).querySelector<HTMLDetailsElement>('details.engine-picker');
      expect(picker?.open).to.equal(false);
      // Closed, the choice and its notes take no room; they are inside it.
      const select = shadow(block).querySelector<HTMLSelectElement>('#engine');
      expect(picker?.contains(select)).to.equal(true);
      expect(select?.checkVisibility()).to.equal(false);
      expect(picker?.contains(shadow(block).querySelector('#engine-summary'))).to.equal(true);
      // It sits right above the prompt.
      expect(picker?.nextElementSibling?.matches('label[for="prompt"]')).to.equal(true);
      picker?.querySelector('summary')?.click();
      await until(() => select?.checkVisibility() === true, 'the choice to show');
    } finally {
      app.remove();
    }
  });

  it('opens by itself when nothing can run here, and stays open once something can', async () => {
    const app = await mountHost();
    try {
      const block = blockIn(app, 'ai-text');
      const real = await probeCapabilities();
      const picker = () => shadow(block).querySelector<HTMLDetailsElement>('details.engine-picker');
      block.settings = { probe: { ...real, hostServiceModule: 'no', wasm: { ...real.wasm, available: false } } };
      await until(
        () => line(block).includes('none can run here'),
        () => `nothing to run (got "${line(block)}")`,
      );
      await until(() => picker()?.open === true, 'the picker to open');
      block.settings = { probe: { ...real, hostServiceModule: 'no' } };
      await until(
        () => line(block).includes('AI Blocks test model'),
        () => `the CPU model (got "${line(block)}")`,
      );
      expect(picker()?.open).to.equal(true);
    } finally {
      app.remove();
    }
  });

  it('AI Chat: sits directly above the message field, as chat apps put it', async () => {
    const app = await mountHost();
    try {
      const block = blockIn(app, 'ai-chat');
      await until(() => shadow(block).querySelector('[data-engine-line]') !== null, 'the picker');
      const composer = shadow(block).querySelector('.composer');
      expect(composer?.firstElementChild?.matches('details.engine-picker')).to.equal(true);
      expect(composer?.querySelector('details.engine-picker + label[for="message"]')).to.not.equal(null);
    } finally {
      app.remove();
    }
  });
});
