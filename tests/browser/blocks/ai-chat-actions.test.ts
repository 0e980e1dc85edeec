// What a person can do in AI Chat besides sending: act on an error notice,
// retry a failed save, read the token meter, use the keyboard, copy a reply.
// The block talks to the recording server through the OpenAI-compatible engine,
// so each action's effect on the request is visible too.
import { BP, TYPE_IDS } from '@ai-blocks/block-metadata';
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { HostFaults } from '../../../packages/host/src/store/graph-callbacks.js';
import {
  chatBlock,
  choose,
  responsesIn,
  send,
  shownMessages,
  turn,
  typeInto,
  useRecordingEngine,
} from '../../helpers/chat-block.js';
import { chooseEngine, mountHost, shadow, until, type BlockElement } from '../../helpers/host-page.js';
import { recordingSession, wireLines } from '../../helpers/recording-server-client.js';
import { RECORDED_REPLY } from '../../servers/recording-defaults.js';

const requestsIn = (app: Awaited<ReturnType<typeof mountHost>>) =>
  app.store
    .all()
    .filter(({ entity }) => entity.metadata.entityTypeId === TYPE_IDS.entityType['ai-chat-request-message']);
const tokens = (block: BlockElement) => Number(shadow(block).querySelector<HTMLElement>('.tokens')?.dataset['tokens']);
const meter = (block: BlockElement) => shadow(block).querySelector('.tokens')?.textContent.trim() ?? '';

describe('AI Chat: error notices, save retries, the token meter, keys and copy', () => {
  // A failed test leaves its host behind: remove it so the next test's page is the same.
  afterEach(() => {
    for (const app of document.querySelectorAll('ai-blocks-host-app')) app.remove();
  });

  it('Copy puts a reply’s text (its Markdown source) on the clipboard', async () => {
    const session = await recordingSession();
    await session.script({ reply: 'Copy **this** reply.' });
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await turn(app, block, 'Something to copy', 1);
    const copy = shadow(block).querySelector<HTMLButtonElement>(
      'article.message[data-role="assistant"] button[data-action="copy"]',
    );
    if (!copy) throw new Error('no Copy button');
    // Reading the system clipboard back (paste) proved unreliable when several
    // test files share the browser: a recording clipboard stands in for it.
    const written: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: {
        writeText: (text: string) => Promise.resolve(void written.push(text)),
      },
    });
    try {
      copy.click();
      await until(() => written.length === 1, 'the clipboard write');
    } finally {
      // The own property hid Navigator.prototype's getter: deleting it brings that back.
      delete (navigator as { clipboard?: unknown }).clipboard;
    }
    expect(written).to.deep.equal(['Copy **this** reply.']);
    app.remove();
  });

  it('a failed reply says what went wrong; Try again resends the same request and shows the answer', async () => {
    const session = await recordingSession();
    // A rate limit whose wait is far too long to sit out: the engine gives up
    // at once.
    await session.script({
      failures: [
        {
          status: 429,
          body: {
            error: {
              message: 'Rate limit reached',
              type: 'requests',
              code: 'rate_limit_exceeded',
            },
          },
          headers: { 'retry-after': '3600' },
        },
      ],
    });
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await send(block, 'Are you there?');
    await until(() => shadow(block).querySelector('[role="alert"][data-code]') !== null, 'the error notice');
    const notice = shadow(block).querySelector<HTMLElement>('[role="alert"][data-code]');
    expect(notice?.dataset['code']).to.equal('RATE_LIMITED');
    expect(notice?.textContent).to.contain('Too many requests');
    // The message stays, unanswered, and nothing was saved for a reply that
    // never came.
    expect(shownMessages(block)).to.deep.equal(['user: Are you there?']);
    expect(responsesIn(app)).to.have.length(0);
    const tryAgain = notice?.querySelector<HTMLButtonElement>('button[data-action="retry"]');
    expect(tryAgain?.textContent.trim()).to.equal('Try again');
    tryAgain?.click();
    await until(
      () => responsesIn(app).length === 1 && shadow(block).querySelector('[data-save="saved"]') !== null,
      'the retried reply to be saved',
    );
    expect(shadow(block).querySelector('[role="alert"][data-code]')).to.equal(null);
    const answered = ['user: Are you there?', `assistant: ${RECORDED_REPLY}`];
    await until(
      () => shownMessages(block).join('\n') === answered.join('\n'),
      () => `the answer shown (${JSON.stringify(shownMessages(block))})`,
    );
    expect(requestsIn(app)).to.have.length(1);
    const [failed, retried] = await session.chatRequests();
    expect(wireLines(retried)).to.deep.equal(wireLines(failed));
    app.remove();
  });

  it('a save the host refuses says so with Retry now, which saves the turn once the host takes it', async () => {
    const faults: HostFaults = {
      always: {
        createEntity: {
          kind: 'error',
          code: 'FORBIDDEN',
          message: 'Refused for the test',
        },
      },
    };
    const session = await recordingSession();
    const app = await mountHost({ faults });
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await send(block, 'Keep this');
    await until(() => shadow(block).querySelector('[data-save="unsaved"]') !== null, 'the unsaved state');
    const status = shadow(block).querySelector('[data-save="unsaved"]');
    expect(status?.textContent).to.contain('1 turn not saved yet');
    const retryNow = [...(status?.querySelectorAll('button') ?? [])].find(
      (candidate) => candidate.textContent.trim() === 'Retry now',
    );
    expect(retryNow, 'a Retry now button').to.not.equal(undefined);
    expect(responsesIn(app)).to.have.length(0);
    // The reply is still shown while it waits to be saved (rendered as Markdown).
    const expected = ['user: Keep this', `assistant: ${RECORDED_REPLY}`];
    await until(
      () => shownMessages(block).join('\n') === expected.join('\n'),
      () => `the reply shown (${JSON.stringify(shownMessages(block))})`,
    );
    delete faults.always;
    retryNow?.click();
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the turn to be saved');
    expect(requestsIn(app)).to.have.length(1);
    expect(responsesIn(app).map((response) => response.properties[BP.property.textualContent])).to.deep.equal([
      RECORDED_REPLY,
    ]);
    app.remove();
  });

  it('the token meter shows the estimate against the context window, following system prompt and chat', async () => {
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session, { contextWindow: 4000 });
    expect(meter(block)).to.match(/of 4,000 tokens$/);
    const withPreset = tokens(block);
    expect(withPreset).to.be.greaterThan(0);
    await choose(block, '#preset', 'custom');
    await typeInto(block, '#system', 'x'.repeat(400));
    const withLongPrompt = tokens(block);
    expect(withLongPrompt).to.be.at.least(100);
    expect(meter(block)).to.contain(`≈ ${String(withLongPrompt)} of 4,000`);
    const question = 'q'.repeat(200);
    await turn(app, block, question, 1);
    // The question and the reply now count too (about four characters a token).
    expect(tokens(block)).to.be.at.least(withLongPrompt + (question.length + RECORDED_REPLY.length) / 4);
    block.settings = { ...block.settings, contextWindow: 16_000 };
    await block.updateComplete;
    expect(meter(block)).to.match(/of 16,000 tokens$/);
    app.remove();
  });

  it('the token meter counts against the context window the CPU engine loads with (the catalogue’s)', async () => {
    const app = await mountHost();
    const block = chatBlock(app);
    await chooseEngine(block, 'wasm');
    // The bundled tiny model is loaded with a 512-token window: the meter must not promise more.
    await until(() => meter(block).endsWith('of 512 tokens'), 'the meter to show the tiny model’s window');
    app.remove();
  });

  it('Enter sends, Shift+Enter adds a line, Enter on an empty field sends nothing', async () => {
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    expect(shadow(block).querySelector('#message-hint')?.textContent).to.contain(
      'Enter sends, Shift+Enter adds a line, Esc stops',
    );
    shadow(block).querySelector<HTMLTextAreaElement>('#message')?.focus();
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: 'Line one' });
    await sendKeys({ press: 'Shift+Enter' });
    await sendKeys({ type: 'Line two' });
    expect(await session.chatRequests()).to.have.length(0);
    await sendKeys({ press: 'Enter' });
    await until(
      () => responsesIn(app).length === 1 && shadow(block).querySelector('[data-save="saved"]') !== null,
      'the reply to be saved',
    );
    const requests = await session.chatRequests();
    expect(requests).to.have.length(1);
    expect(wireLines(requests[0]).at(-1)).to.equal('user: Line one\nLine two');
    expect(shadow(block).querySelector<HTMLTextAreaElement>('#message')?.value).to.equal('');
    app.remove();
  });

  it('Esc stops the reply being written; what came so far is kept as stopped', async () => {
    const session = await recordingSession();
    const long = Array.from({ length: 40 }, (_, index) => `word${String(index)}`).join(' ');
    await session.script({ reply: long, pieceDelayMs: 100 });
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await send(block, 'Talk slowly');
    await until(
      () => (shadow(block).querySelector('.streaming')?.textContent.trim().length ?? 0) >= 10,
      'some streamed text',
    );
    shadow(block).querySelector<HTMLTextAreaElement>('#message')?.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the stopped reply to be saved');
    const [response] = responsesIn(app);
    const text = response?.properties[BP.property.textualContent] as string;
    expect(long.startsWith(text)).to.equal(true);
    expect(text.length).to.be.lessThan(long.length);
    expect(response?.properties[TYPE_IDS.property['completion-status']]).to.equal('stopped');
    expect(shadow(block).querySelector('.provenance')?.textContent).to.contain('stopped early');
    app.remove();
  });
});
