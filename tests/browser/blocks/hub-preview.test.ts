// The blocks in the Block Protocol Hub's preview (the host's hub-preview mode: the hub's entity
// ids, the metadata's example properties, writes and service calls refused): each says it is a
// preview and offers no action that cannot work there.
import { expect } from '@open-wc/testing';
import { blockIn, mountHost, shadow, until, type BlockElement } from '../../helpers/host-page.js';

const BLOCKS = ['ai-text', 'ai-chat', 'ai-image'] as const;

/** Buttons, fields and lists a person could still use (not disabled, not inside a disabled fieldset). */
function usableControls(block: BlockElement): string[] {
  return [...shadow(block).querySelectorAll<HTMLElement>('button, input, textarea, select')]
    .filter((control) => !control.matches(':disabled'))
    .map((control) => control.dataset['action'] ?? (control.id || control.localName));
}

describe('Blocks in the hub preview', () => {
  for (const name of BLOCKS)
    it(`${name}: says it is a preview and turns its actions off`, async function () {
      this.timeout(30_000);
      const app = await mountHost({ mode: { hubPreview: true } });
      try {
        const block = blockIn(app, name);
        await until(
          () => shadow(block).querySelector('[data-preview]') !== null,
          () => `${name} to say it is a preview`,
        );
        expect(shadow(block).querySelector('[data-preview]')?.textContent).to.contain('Add it to a page');
        // The example content is still shown.
        expect(shadow(block).textContent.trim().length).to.be.greaterThan(40);
        await block.updateComplete;
        expect(usableControls(block), `${name}: controls left on`).to.deep.equal([]);
        // Nothing invites an action that is turned off.
        expect(shadow(block).textContent).to.not.contain('write a message below');
        expect(app.log.serviceRequests).to.equal(0);
      } finally {
        app.remove();
      }
    });

  it('AI Text outside the preview keeps its actions', async () => {
    const app = await mountHost();
    try {
      const block = blockIn(app, 'ai-text');
      await until(() => shadow(block).querySelector('[data-action="generate"]') !== null, 'the composer');
      expect(shadow(block).querySelector('[data-preview]')).to.equal(null);
      expect(usableControls(block)).to.include('prompt');
    } finally {
      app.remove();
    }
  });
});
