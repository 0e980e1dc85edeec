import { TYPE_IDS } from '@ai-blocks/block-metadata';
import type { ChatSettings } from '@ai-blocks/persistence';
import { describe, expect, it, vi } from 'vitest';
import { ConversationController, type ReplyResult } from '../../../blocks/ai-chat/src/conversation.js';
import { presetPrompt } from '../../../blocks/ai-chat/src/presets.js';
import { FakeElement } from '../../helpers/fake-element.js';
import { FakeGraphModule } from '../../helpers/fake-graph-module.js';

const engine = { engineId: 'wasm', modelId: 'ai-blocks-tiny' };
const provenance = {
  engineId: 'wasm',
  modelId: 'ai-blocks-tiny',
  outputTokens: 2,
  durationMs: 10,
  completionStatus: 'complete' as const,
  startedAt: '2026-12-03T00:00:00.000Z',
};

/** A chat block on a fake element, embedded in a fake host (a new one, or the same store again as after a reload). */
async function chatBlock(existing?: { fake: FakeGraphModule; blockId: string }) {
  const fake = existing?.fake ?? new FakeGraphModule();
  const blockId =
    existing?.blockId ??
    (await fake.store.create({ entityTypeId: TYPE_IDS.entityType['ai-chat-block'], properties: {} })).metadata.recordId
      .entityId;
  const element = new FakeElement();
  /** The settings the block's engine choice was told to restore, each time it was told. */
  const restored: ChatSettings[] = [];
  let busy = false;
  const conversation = new ConversationController(element, element.access, {
    busy: () => busy,
    restoreEngine: (settings) => restored.push(settings),
  });
  element.connect();
  /** The host sends the block's subgraph as it is in the store now. */
  const send = (extra: { readonly?: boolean } = {}) => {
    element.graph = { blockEntitySubgraph: fake.store.subgraph([blockId]), ...extra };
    element.graphModule = fake.module;
    element.update();
  };
  /** Writes a reply to `requestKey` as a run would: started, asked, finished. */
  const answer = (
    requestKey: string | undefined,
    text: string,
    status: ReplyResult['outcome']['status'] = 'complete',
  ) => {
    if (requestKey === undefined) throw new Error('nothing to answer');
    const reply = conversation.startReply(requestKey);
    if (!reply) throw new Error('no reply started');
    busy = true;
    const request = conversation.request(reply, 8192);
    busy = false;
    conversation.finishReply(reply, { outcome: { status, text }, engine, provenance });
    return request;
  };
  const saved = () =>
    vi.waitFor(() => {
      expect(conversation.saveState.status).toBe('saved');
    });
  const count = (slug: keyof typeof TYPE_IDS.entityType) =>
    fake.store.all().filter(({ entity }) => entity.metadata.entityTypeId === TYPE_IDS.entityType[slug]).length;
  const shown = () => conversation.path.map((node) => `${node.role}: ${node.text}`);
  const settingsWrites = () =>
    fake.calls.filter(
      (call) => call.method === 'updateEntity' && (call.data as { entityId?: string }).entityId === blockId,
    ).length;
  return { fake, blockId, element, conversation, restored, send, answer, saved, count, shown, settingsWrites };
}

describe('AI Chat conversation', () => {
  it('writes each turn exactly once with its request, response and links, and asks with the whole branch', async () => {
    const { conversation, send, answer, saved, count, fake } = await chatBlock();
    send();
    answer(conversation.send('  Hello '), 'Hi there');
    expect(conversation.path.map((node) => node.text)).toEqual(['Hello', 'Hi there']);
    await saved();
    const request = answer(conversation.send('And again?'), 'Again');
    expect(request.messages).toEqual([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi there' },
      { role: 'user', content: 'And again?' },
    ]);
    expect(request.system).toBe(presetPrompt('helpful'));
    await saved();
    expect(count('ai-chat-request-message')).toBe(2);
    expect(count('ai-chat-response-message')).toBe(2);
    expect(count('rooted-at')).toBe(1);
    expect(count('has-response')).toBe(2);
    expect(count('followed-by')).toBe(1);
    expect(count('has-message')).toBe(4);
    // The host sends the written turns back: nothing is written again, nothing shown twice.
    const writes = fake.writes().length;
    send();
    expect(conversation.path.map((node) => node.text)).toEqual(['Hello', 'Hi there', 'And again?', 'Again']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.writes()).toHaveLength(writes);
  });

  it('a reload restores the conversation, its settings and the engine it last used', async () => {
    const first = await chatBlock();
    first.send();
    first.conversation.set('presetId', 'custom');
    first.conversation.set('customSystemPrompt', 'Answer like a lighthouse keeper');
    first.conversation.setSampling({ temperature: 1.3, maxOutputTokens: 64 });
    first.answer(first.conversation.send('Hello'), 'Ahoy');
    await first.saved();
    first.answer(first.conversation.send('Night?'), 'The lamp is lit');
    await first.saved();
    first.element.disconnect();

    const reloaded = await chatBlock({ fake: first.fake, blockId: first.blockId });
    reloaded.send();
    expect(reloaded.shown()).toEqual(['user: Hello', 'assistant: Ahoy', 'user: Night?', 'assistant: The lamp is lit']);
    expect(reloaded.conversation.path.at(-1)?.provenance).toMatchObject({
      modelId: 'ai-blocks-tiny',
      completionStatus: 'complete',
    });
    expect(reloaded.conversation).toMatchObject({
      presetId: 'custom',
      customSystemPrompt: 'Answer like a lighthouse keeper',
      temperature: 1.3,
      maxOutputTokens: 64,
    });
    expect(reloaded.conversation.system).toBe('Answer like a lighthouse keeper');
    expect(reloaded.restored).toHaveLength(1);
    expect(reloaded.restored[0]).toMatchObject({ engineId: 'wasm', modelId: 'ai-blocks-tiny' });
    // The conversation carries on after the saved turns.
    reloaded.answer(reloaded.conversation.send('Still?'), 'Still');
    await reloaded.saved();
    expect(reloaded.count('ai-chat-request-message')).toBe(3);
    expect(reloaded.count('followed-by')).toBe(2);
    // The graph changed and was sent again: the settings are restored once only (later choices are not undone).
    reloaded.send();
    expect(reloaded.shown()).toHaveLength(6);
    expect(reloaded.restored).toHaveLength(1);
  });

  it('editing a message makes a sibling branch, saved and kept, and both branches can be shown', async () => {
    const { conversation, send, answer, saved, shown, count } = await chatBlock();
    send();
    answer(conversation.send('First'), 'One');
    answer(conversation.send('Second'), 'Two');
    await saved();
    const second = conversation.path[2];
    if (!second) throw new Error('no second message');
    expect(conversation.edit(second, 'Second')).toBeUndefined(); // unchanged: no new version
    const request = answer(conversation.edit(second, 'Second, edited'), 'Two again');
    expect(request.messages.map((message) => message.content)).toEqual(['First', 'One', 'Second, edited']);
    expect(shown()).toEqual(['user: First', 'assistant: One', 'user: Second, edited', 'assistant: Two again']);
    const edited = conversation.path[2];
    if (!edited) throw new Error('no edited message');
    expect(conversation.siblings(edited)).toMatchObject({ index: 1, keys: [second.key, edited.key] });
    await saved();
    expect(count('ai-chat-request-message')).toBe(3);
    expect(count('followed-by')).toBe(2);
    // From the graph too: both versions are there, the newest shown, the older one a step back.
    send();
    conversation.showSibling(edited, -1);
    expect(shown()).toEqual(['user: First', 'assistant: One', 'user: Second', 'assistant: Two']);
  });

  it('regenerating makes another reply to the same message, written without a second copy of the message', async () => {
    const { conversation, send, answer, saved, count } = await chatBlock();
    send();
    answer(conversation.send('Name a cat'), 'Beacon');
    await saved();
    const reply = conversation.path[1];
    if (!reply) throw new Error('no reply');
    answer(conversation.regenerate(reply), 'Lumen');
    await saved();
    expect(count('ai-chat-request-message')).toBe(1);
    expect(count('ai-chat-response-message')).toBe(2);
    expect(count('has-response')).toBe(2);
    expect(conversation.path.map((node) => node.text)).toEqual(['Name a cat', 'Lumen']);
  });

  it('a reply that wrote nothing is not saved: the message shows why; answering again writes it once', async () => {
    const { conversation, send, answer, saved, count, fake } = await chatBlock();
    send();
    const key = conversation.send('Hello');
    answer(key, '', 'aborted');
    expect(conversation.failure).toMatchObject({ requestKey: key, outcome: { status: 'aborted' } });
    expect(conversation.path.map((node) => node.text)).toEqual(['Hello']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.writes()).toHaveLength(0);
    answer(conversation.failure?.requestKey, 'Hi');
    expect(conversation.failure).toBeUndefined();
    await saved();
    expect(count('ai-chat-request-message')).toBe(1);
    expect(count('ai-chat-response-message')).toBe(1);
  });

  it('writes nothing on a read-only page, even a reply that was under way when the page became read-only', async () => {
    const { conversation, send, fake } = await chatBlock();
    send();
    const key = conversation.send('Hello');
    if (key === undefined) throw new Error('not sent');
    const reply = conversation.startReply(key);
    if (!reply) throw new Error('no reply');
    send({ readonly: true });
    conversation.finishReply(reply, { outcome: { status: 'complete', text: 'Hi' }, engine, provenance });
    expect(conversation.path.map((node) => node.text)).toEqual(['Hello', 'Hi']);
    expect(conversation.send('More')).toBeUndefined();
    expect(conversation.startReply(key)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.writes()).toHaveLength(0);
    // Nothing was even tried: no "not saved" line.
    expect(conversation.saveState.status).toBe('idle');
  });

  it('a turn finished while the element is detached is written when it is attached again', async () => {
    const { conversation, element, send, answer, saved, count } = await chatBlock();
    send();
    element.disconnect();
    answer(conversation.send('Hello'), 'Partial', 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(conversation.saveState).toMatchObject({ status: 'unsaved', pending: 1 });
    expect(count('ai-chat-response-message')).toBe(0);
    element.connect();
    await saved();
    expect(count('ai-chat-request-message')).toBe(1);
    expect(count('ai-chat-response-message')).toBe(1);
  });

  it('saves the chat settings with a turn only when they changed', async () => {
    const { conversation, send, answer, saved, settingsWrites } = await chatBlock();
    send();
    answer(conversation.send('One'), 'A');
    await saved();
    await vi.waitFor(() => {
      expect(settingsWrites()).toBe(1);
    });
    expect(conversation.storedSettings).toMatchObject({
      engineId: 'wasm',
      modelId: 'ai-blocks-tiny',
      presetSystemPromptId: 'helpful',
      temperature: 0.7,
      maxOutputTokens: 512,
    });
    answer(conversation.send('Two'), 'B');
    await saved();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settingsWrites()).toBe(1);
    conversation.setSampling({ temperature: 0.2 });
    answer(conversation.send('Three'), 'C');
    await saved();
    await vi.waitFor(() => {
      expect(settingsWrites()).toBe(2);
    });
    expect(conversation.storedSettings.temperature).toBe(0.2);
  });

  it('leaves the oldest turns out of a request that does not fit, and says how many', async () => {
    const { conversation, send, answer } = await chatBlock();
    send();
    answer(conversation.send('a'.repeat(400)), 'b'.repeat(400));
    conversation.setSampling({ maxOutputTokens: 16 });
    const key = conversation.send('short');
    const reply = key === undefined ? undefined : conversation.startReply(key);
    if (!reply) throw new Error('no reply');
    const request = conversation.request(reply, 16 + Math.ceil((presetPrompt('helpful') ?? '').length / 4) + 16 + 20);
    expect(request.messages).toEqual([{ role: 'user', content: 'short' }]);
    expect(conversation.droppedNotice).toBe(2);
  });

  it('keeps the history on a small model: the reply limit never takes more than half the window', async () => {
    const { conversation, send, answer } = await chatBlock();
    send();
    answer(
      conversation.send('Hello! Can you recite the alphabet?'),
      'a b c d e f g h i j k l m n o p q r s t u v w x y z',
    );
    const key = conversation.send('Once more, please.');
    const reply = key === undefined ? undefined : conversation.startReply(key);
    if (!reply) throw new Error('no reply');
    // The default reply limit (512) equals the bundled model's window (512): before, no history fitted.
    expect(conversation.maxOutputTokens).toBe(512);
    const request = conversation.request(reply, 512);
    expect(request.messages).toHaveLength(3);
    expect(conversation.droppedNotice).toBe(0);
    expect(request.maxOutputTokens).toBe(256);
    // A large window keeps the person's limit.
    expect(conversation.request(reply, 8192).maxOutputTokens).toBe(512);
  });

  it('an unanswered message is replaced by the next one sent: never written; the reply answers the new', async () => {
    const { conversation, send, answer, saved, count, shown } = await chatBlock();
    send();
    answer(conversation.send('Hello'), 'Hi');
    await saved();
    const unanswered = conversation.send('A question the model refused');
    answer(unanswered, '', 'error');
    expect(conversation.failure?.requestKey).toBe(unanswered);
    const replacement = conversation.send('Asked another way');
    expect(replacement).toBeDefined();
    expect(conversation.failure).toBeUndefined();
    expect(shown()).toEqual(['user: Hello', 'assistant: Hi', 'user: Asked another way']);
    const request = answer(replacement, 'Answered');
    expect(request.messages.map((message) => message.content)).toEqual(['Hello', 'Hi', 'Asked another way']);
    await saved();
    expect(count('ai-chat-request-message')).toBe(2);
    expect(count('ai-chat-response-message')).toBe(2);
  });

  it('asked to leave out more, the request drops the oldest turn (question and reply together), says so', async () => {
    const { conversation, send, answer } = await chatBlock();
    send();
    answer(conversation.send('One'), 'First');
    answer(conversation.send('Two'), 'Second');
    const key = conversation.send('Three');
    if (key === undefined) throw new Error('not sent');
    const reply = conversation.startReply(key);
    if (!reply) throw new Error('no reply');
    // Everything fits 8,192 tokens; a model that refused it anyway is asked again without the oldest turn.
    expect(conversation.request(reply, 8192).messages).toHaveLength(5);
    const retried = conversation.request(reply, 8192, 1);
    expect(retried.messages.map((message) => message.content)).toEqual(['Two', 'Second', 'Three']);
    expect(conversation.droppedNotice).toBe(2);
  });

  it('New conversation: an empty thread whose first message starts a new root; the old stays reachable', async () => {
    const { conversation, send, answer, saved, shown, count } = await chatBlock();
    send();
    answer(conversation.send('Old question'), 'Old answer');
    await saved();
    conversation.startNew();
    expect(shown()).toEqual([]);
    const request = answer(conversation.send('A fresh start'), 'Fresh answer');
    expect(request.messages.map((message) => message.content)).toEqual(['A fresh start']);
    expect(shown()).toEqual(['user: A fresh start', 'assistant: Fresh answer']);
    await saved();
    expect(count('ai-chat-request-message')).toBe(2);
    const first = conversation.path[0];
    if (!first) throw new Error('no first message');
    expect(conversation.siblings(first)).toMatchObject({ index: 1 });
    conversation.showSibling(first, -1);
    expect(shown()).toEqual(['user: Old question', 'assistant: Old answer']);
  });
});
