// Repeated buttons are told apart by name ("Copy reply 2"), and Copy says "Copied" once the
// text is on the clipboard.
import { expect } from '@open-wc/testing';
import { chatBlock, turn, useRecordingEngine } from '../../helpers/chat-block.js';
import { mountHost, shadow, until } from '../../helpers/host-page.js';
import { recordingSession } from '../../helpers/recording-server-client.js';

describe('AI Chat: distinct button names and copy feedback', () => {
  afterEach(() => {
    for (const app of document.querySelectorAll('ai-blocks-host-app')) app.remove();
    delete (navigator as { clipboard?: unknown }).clipboard;
  });

  it('names each message’s buttons by the message, and Copy shows "Copied"', async function () {
    this.timeout(40_000);
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await turn(app, block, 'First', 1);
    await turn(app, block, 'Second', 2);
    const names = (action: string) =>
      [...shadow(block).querySelectorAll<HTMLButtonElement>(`.thread button[data-action="${action}"]`)].map((button) =>
        button.getAttribute('aria-label'),
      );
    expect(names('copy')).to.deep.equal(['Copy message 1', 'Copy reply 1', 'Copy message 2', 'Copy reply 2']);
    expect(names('edit')).to.deep.equal(['Edit message 1', 'Edit message 2']);
    expect(names('regenerate')).to.deep.equal(['Regenerate reply 1', 'Regenerate reply 2']);
    const written: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (text: string) => Promise.resolve(void written.push(text)) },
    });
    const copy = shadow(block).querySelector<HTMLButtonElement>('.thread button[aria-label="Copy reply 2"]');
    copy?.click();
    await until(() => copy?.hasAttribute('data-copied') === true, 'the button to say Copied');
    expect(getComputedStyle(copy as Element, '::after').content).to.equal('"Copied"');
    expect(written).to.have.length(1);
  });
});
