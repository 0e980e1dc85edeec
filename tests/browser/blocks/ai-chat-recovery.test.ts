// AI Chat never leaves a person stuck after a failed reply: every failed turn offers Try
// again, Send can put a new message in place of one that got no reply, and a model that
// refuses the history as too long is asked again with the oldest turn left out, visibly.
import { expect } from '@open-wc/testing';
import { chatBlock, responsesIn, send, shownMessages, turn, useRecordingEngine } from '../../helpers/chat-block.js';
import { button, chooseEngine, mountHost, shadow, until } from '../../helpers/host-page.js';
import { recordingSession, wireLines } from '../../helpers/recording-server-client.js';
import { RECORDED_REPLY } from '../../servers/recording-defaults.js';
import { presetPrompt } from '../../../blocks/ai-chat/src/presets.js';

const unauthorised = { status: 401, body: { error: { message: 'Incorrect API key', code: 'invalid_api_key' } } };
const notice = (block: HTMLElement) => shadow(block).querySelector<HTMLElement>('[role="alert"][data-code]');

describe('AI Chat: no dead end after a failed reply', () => {
  afterEach(() => {
    for (const app of document.querySelectorAll('ai-blocks-host-app')) app.remove();
  });

  it('a refused key still offers Try again, which answers the same message once the service accepts it', async () => {
    const session = await recordingSession();
    await session.script({ failures: [unauthorised] });
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await send(block, 'Hello?');
    await until(() => notice(block) !== null, 'the error notice');
    expect(notice(block)?.dataset['code']).to.equal('AUTHENTICATION');
    const tryAgain = notice(block)?.querySelector<HTMLButtonElement>('button[data-action="retry"]');
    expect(tryAgain?.textContent.trim()).to.equal('Try again');
    tryAgain?.click();
    await until(() => responsesIn(app).length === 1, 'the reply to be saved');
    await until(
      () => shownMessages(block).join('\n') === ['user: Hello?', `assistant: ${RECORDED_REPLY}`].join('\n'),
      () => `the answer shown (${JSON.stringify(shownMessages(block))})`,
    );
    const requests = await session.chatRequests();
    expect(requests.map((body) => wireLines(body).at(-1))).to.deep.equal(['user: Hello?', 'user: Hello?']);
  });

  it('Send stays usable after a failed reply and puts the new message in place of the unanswered one', async () => {
    const session = await recordingSession();
    await session.script({ failures: [unauthorised] });
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await send(block, 'The first try');
    await until(() => notice(block) !== null, 'the error notice');
    expect(shadow(block).querySelector('#message-hint')?.textContent).to.contain('send a new message in its place');
    await send(block, 'Asked again, differently');
    await until(() => responsesIn(app).length === 1, 'the reply to be saved');
    await until(
      () =>
        shownMessages(block).join('\n') ===
        ['user: Asked again, differently', `assistant: ${RECORDED_REPLY}`].join('\n'),
      () => `the new message answered (${JSON.stringify(shownMessages(block))})`,
    );
    expect(notice(block)).to.equal(null);
    const requests = await session.chatRequests();
    expect(wireLines(requests.at(-1))).to.deep.equal([
      `system: ${presetPrompt('helpful') ?? ''}`,
      'user: Asked again, differently',
    ]);
    // The unanswered message was never written.
    expect(button(block, 'send')).to.exist;
  });

  it('a model refusing a too-long history is retried without the oldest turn; the block says so', async function () {
    this.timeout(40_000);
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await turn(app, block, 'The first question', 1);
    const tooLong = {
      status: 400,
      body: {
        error: {
          message: "This model's maximum context length is 16 tokens.",
          code: 'context_length_exceeded',
        },
      },
    };
    await session.script({ failures: [tooLong] });
    await turn(app, block, 'The second question', 2);
    const requests = await session.chatRequests();
    const system = `system: ${presetPrompt('helpful') ?? ''}`;
    expect(requests.map((body) => wireLines(body))).to.deep.equal([
      [system, 'user: The first question'],
      [system, 'user: The first question', `assistant: ${RECORDED_REPLY}`, 'user: The second question'],
      [system, 'user: The second question'],
    ]);
    expect(shadow(block).querySelector('[data-notice="history-trimmed"]')?.textContent).to.contain(
      'The 2 oldest messages were left out',
    );
    expect(notice(block)).to.equal(null);
  });

  it('the bundled model (a 512-token window) is asked the second turn with the first one', async function () {
    this.timeout(60_000);
    const app = await mountHost();
    const block = chatBlock(app);
    await chooseEngine(block, 'wasm');
    await turn(app, block, 'Hello! Can you recite the alphabet?', 1);
    await turn(app, block, 'Once more, please.', 2);
    // The default reply limit (512 tokens) used to take the whole window: only the last message was sent.
    expect(shadow(block).querySelector('[data-notice="history-trimmed"]')).to.equal(null);
    // The model it last used is the one the picker shows: no second line about it.
    expect(shadow(block).querySelector('[data-stored-model]')).to.equal(null);
    // Another engine chosen: the line says, in labels, which model the conversation used.
    await chooseEngine(block, 'service-module');
    const stored = () => shadow(block).querySelector('[data-stored-model]')?.textContent.replace(/\s+/g, ' ') ?? '';
    await until(() => stored() !== '', 'the line about the model last used');
    expect(stored()).to.contain(
      'last used AI Blocks test model (offline, answers with the alphabet) — In-browser model',
    );
  });

  it('New conversation empties the thread; the next message is asked without the earlier history', async () => {
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await turn(app, block, 'Before', 1);
    button(block, 'new-conversation')?.click();
    await block.updateComplete;
    expect(shownMessages(block)).to.deep.equal([]);
    expect(button(block, 'new-conversation')).to.equal(null);
    await turn(app, block, 'After', 2);
    const requests = await session.chatRequests();
    expect(wireLines(requests.at(-1))).to.deep.equal([`system: ${presetPrompt('helpful') ?? ''}`, 'user: After']);
  });

  it('sending while scrolled up to read takes the thread back down to the new message', async function () {
    this.timeout(40_000);
    const session = await recordingSession();
    await session.script({ reply: 'A long reply. '.repeat(60) });
    const app = await mountHost();
    const block = chatBlock(app);
    block.style.setProperty('--ai-chat-max-height', '12rem');
    await useRecordingEngine(block, session);
    await turn(app, block, 'One', 1);
    await turn(app, block, 'Two', 2);
    const thread = shadow(block).querySelector<HTMLElement>('.thread');
    if (!thread) throw new Error('no thread');
    thread.scrollTop = 0;
    thread.dispatchEvent(new Event('scroll'));
    await turn(app, block, 'Three', 3);
    await until(
      () => thread.scrollHeight - thread.scrollTop - thread.clientHeight < 48,
      () => `the thread at its end (scrollTop ${String(thread.scrollTop)} of ${String(thread.scrollHeight)})`,
    );
  });
});
