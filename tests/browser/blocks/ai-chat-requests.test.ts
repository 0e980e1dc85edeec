// What AI Chat sends to the engine. The tiny model answers the same whatever it
// is asked, so only the request shows that history, the system prompt and the
// settings reach the model: the block talks to the recording server through the
// OpenAI-compatible engine.
import { expect } from '@open-wc/testing';
import { presetPrompt, SYSTEM_PROMPT_PRESETS } from '../../../blocks/ai-chat/src/presets.js';
import {
  chatBlock,
  choose,
  responsesIn,
  shownMessages,
  turn,
  typeInto,
  useRecordingEngine,
} from '../../helpers/chat-block.js';
import { button, mountHost, shadow, until } from '../../helpers/host-page.js';
import { recordingSession, wireLines } from '../../helpers/recording-server-client.js';
import { RECORDED_REPLY } from '../../servers/recording-defaults.js';

const reply = `assistant: ${RECORDED_REPLY}`;

describe('AI Chat: the request the engine receives', () => {
  // A failed test leaves its host behind: remove it so the next test's page is the same.
  afterEach(() => {
    for (const app of document.querySelectorAll('ai-blocks-host-app')) app.remove();
  });

  it('sends the whole branch as history on every turn, after the chosen preset’s system prompt', async function () {
    this.timeout(40_000);
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await choose(block, '#preset', 'concise');
    await turn(app, block, 'What is a lighthouse?', 1);
    await turn(app, block, 'Who keeps it?', 2);
    await turn(app, block, 'At night too?', 3);
    const requests = await session.chatRequests();
    expect(requests).to.have.length(3);
    const system = `system: ${presetPrompt('concise') ?? ''}`;
    expect(wireLines(requests[0])).to.deep.equal([system, 'user: What is a lighthouse?']);
    expect(wireLines(requests[1])).to.deep.equal([system, 'user: What is a lighthouse?', reply, 'user: Who keeps it?']);
    expect(wireLines(requests[2])).to.deep.equal([
      system,
      'user: What is a lighthouse?',
      reply,
      'user: Who keeps it?',
      reply,
      'user: At night too?',
    ]);
    expect(requests.every((body) => body['model'] === 'recorded-model' && body['stream'] === true)).to.equal(true);
    app.remove();
  });

  it('offers every preset and sends the one chosen; switching preset changes the next request', async () => {
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    const offered = [...(shadow(block).querySelector<HTMLSelectElement>('#preset')?.options ?? [])].map(
      (option) => option.value,
    );
    expect(offered).to.include.members(SYSTEM_PROMPT_PRESETS.map((preset) => preset.id));
    await choose(block, '#preset', 'tutor');
    await turn(app, block, 'Explain tides', 1);
    await choose(block, '#preset', 'editor');
    await turn(app, block, 'Fix: their going home', 2);
    const [first, second] = await session.chatRequests();
    expect(wireLines(first)[0]).to.equal(`system: ${presetPrompt('tutor') ?? ''}`);
    expect(wireLines(second)[0]).to.equal(`system: ${presetPrompt('editor') ?? ''}`);
    expect(wireLines(second).filter((line) => line.startsWith('system:'))).to.have.length(1);
    app.remove();
  });

  it('sends the person’s own system prompt, trimmed, and none when it is left empty', async () => {
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await choose(block, '#preset', 'custom');
    await typeInto(block, '#system', '  You are a pirate. Answer in pirate speak.  ');
    await turn(app, block, 'Hello', 1);
    await typeInto(block, '#system', '   ');
    await turn(app, block, 'Hello again', 2);
    const [own, empty] = await session.chatRequests();
    expect(wireLines(own)).to.deep.equal(['system: You are a pirate. Answer in pirate speak.', 'user: Hello']);
    expect(wireLines(empty)).to.deep.equal(['user: Hello', reply, 'user: Hello again']);
    app.remove();
  });

  it('sends the temperature and reply length set in Settings', async () => {
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await typeInto(block, '#temperature', '1.3');
    await choose(block, '#length', '77');
    expect(shadow(block).querySelector('label[for="temperature"]')?.textContent).to.contain('1.3');
    await turn(app, block, 'Be creative', 1);
    await typeInto(block, '#temperature', '0');
    await choose(block, '#length', '1500');
    await turn(app, block, 'Be exact', 2);
    const [creative, exact] = await session.chatRequests();
    expect([creative?.['temperature'], creative?.['max_tokens']]).to.deep.equal([1.3, 77]);
    expect([exact?.['temperature'], exact?.['max_tokens']]).to.deep.equal([0, 1500]);
    app.remove();
  });

  it('an edited message gets its branch’s history; a regenerated reply the history before it', async function () {
    this.timeout(40_000);
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    await useRecordingEngine(block, session);
    await choose(block, '#preset', 'custom');
    await turn(app, block, 'One', 1);
    await turn(app, block, 'Two', 2);
    await turn(app, block, 'Three', 3);
    // Edit "Two": the request holds "One" and the edit, nothing of the old
    // branch.
    const second = [...shadow(block).querySelectorAll<HTMLElement>('article.message[data-role="user"]')][1];
    second?.querySelector<HTMLButtonElement>('button[data-action="edit"]')?.click();
    await block.updateComplete;
    await typeInto(block, 'textarea.edit', 'Two, edited');
    button(block, 'save-edit')?.click();
    await until(
      () => responsesIn(app).length === 4 && shadow(block).querySelector('[data-save="saved"]') !== null,
      'the edited turn to be saved',
    );
    // Regenerate the first reply: the request ends at "One".
    shadow(block)
      .querySelector<HTMLButtonElement>('article.message[data-role="assistant"] button[data-action="regenerate"]')
      ?.click();
    await until(
      () => responsesIn(app).length === 5 && shadow(block).querySelector('[data-save="saved"]') !== null,
      'the regenerated reply to be saved',
    );
    const requests = await session.chatRequests();
    expect(requests).to.have.length(5);
    expect(wireLines(requests[3])).to.deep.equal(['user: One', reply, 'user: Two, edited']);
    expect(wireLines(requests[4])).to.deep.equal(['user: One']);
    app.remove();
  });

  it('drops the oldest turn when history outgrows the context; keeps system prompt, newest message', async function () {
    this.timeout(40_000);
    const session = await recordingSession();
    const app = await mountHost();
    const block = chatBlock(app);
    // 210 tokens, 50 kept for the reply: each 100-character message (≈ 29
    // tokens) fills a good part of it.
    await useRecordingEngine(block, session, { contextWindow: 210 });
    await choose(block, '#length', '50');
    const said = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(100));
    for (const [index, text] of said.entries()) await turn(app, block, text, index + 1);
    const requests = await session.chatRequests();
    const system = `system: ${presetPrompt('helpful') ?? ''}`;
    // Turn 3 still fits whole; turn 4 would not: "a" and its reply are left
    // out, together.
    expect(wireLines(requests[2])).to.deep.equal([
      system,
      `user: ${said[0] ?? ''}`,
      reply,
      `user: ${said[1] ?? ''}`,
      reply,
      `user: ${said[2] ?? ''}`,
    ]);
    expect(wireLines(requests[3])).to.deep.equal([
      system,
      `user: ${said[1] ?? ''}`,
      reply,
      `user: ${said[2] ?? ''}`,
      reply,
      `user: ${said[3] ?? ''}`,
    ]);
    expect(shadow(block).querySelector('[data-notice="history-trimmed"]')?.textContent).to.contain(
      '2 oldest messages were left out',
    );
    expect(shownMessages(block)).to.have.length(8); // the conversation itself keeps everything
    app.remove();
  });
});
