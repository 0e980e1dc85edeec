import { BP, entityPropertiesSchema, LEGACY_HASH, TYPE_IDS } from '@ai-blocks/block-metadata';
import { TINY_MODEL_EXPECTED } from '@ai-blocks/test-models';
import { expect } from '@open-wc/testing';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import {
  blockIn,
  button,
  chooseEngine,
  mountHost,
  shadow,
  testServers,
  until,
  type BlockElement,
  type TestServers,
} from '../../helpers/host-page.js';
import { requireModelServer } from '../../helpers/model-server.js';
import { send } from '../../helpers/chat-block.js';
import { presetPrompt } from '../../../blocks/ai-chat/src/presets.js';

let servers: TestServers;
before(async () => {
  servers = await testServers();
});

type ChatBlock = BlockElement;
const chatBlock = (app: AiBlocksHostApp): ChatBlock => blockIn(app, 'ai-chat');
/** Every shown message has its text drawn (a reply's Markdown renders in the frame after it appears). */
const drawn = (block: HTMLElement) =>
  [...shadow(block).querySelectorAll<HTMLElement>('article.message:not([data-streaming]) .body')].every(
    (body) => body.textContent.trim() !== '',
  );
const messages = (block: HTMLElement) =>
  [...shadow(block).querySelectorAll<HTMLElement>('article.message:not([data-streaming])')].map(
    (item) => `${item.dataset['role'] ?? ''}: ${item.querySelector('.body')?.textContent.trim() ?? ''}`,
  );
const ofType = (app: AiBlocksHostApp, typeId: string) =>
  app.store
    .all()
    .filter(({ entity }) => entity.metadata.entityTypeId === typeId)
    .map(({ entity }) => entity);
const writes = (app: AiBlocksHostApp) =>
  app.log.entries.filter(
    (entry) =>
      entry.block === 'ai-chat' &&
      entry.source === 'block' &&
      ['createEntity', 'updateEntity', 'deleteEntity', 'uploadFile'].includes(entry.messageName),
  ).length;
const alphabet = TINY_MODEL_EXPECTED.chatReply;

/** Sends and waits until the reply finished and the turn is saved. */
async function turn(app: AiBlocksHostApp, block: ChatBlock, text: string, expectedResponses: number): Promise<void> {
  await send(block, text);
  await until(
    () =>
      ofType(app, TYPE_IDS.entityType['ai-chat-response-message']).length === expectedResponses &&
      shadow(block).querySelector('[data-save="saved"]') !== null,
    `turn "${text}" to be saved`,
  );
}

function links(app: AiBlocksHostApp, slug: 'rooted-at' | 'has-response' | 'followed-by' | 'has-message') {
  return ofType(app, TYPE_IDS.entityType[slug]);
}

describe('AI Chat block in the host', () => {
  it('holds a three-turn conversation with exact replies, each turn written once with its links', async function () {
    this.timeout(60_000);
    const app = await mountHost();
    const block = chatBlock(app);
    await chooseEngine(block, 'wasm');
    await turn(app, block, 'Hello', 1);
    await turn(app, block, 'And again?', 2);
    await turn(app, block, 'Once more', 3);
    await until(() => drawn(block), 'the replies to be drawn');
    expect(messages(block)).to.deep.equal([
      'user: Hello',
      `assistant: ${alphabet}`,
      'user: And again?',
      `assistant: ${alphabet}`,
      'user: Once more',
      `assistant: ${alphabet}`,
    ]);
    expect(ofType(app, TYPE_IDS.entityType['ai-chat-request-message'])).to.have.length(3);
    expect(links(app, 'rooted-at')).to.have.length(1);
    expect(links(app, 'has-response')).to.have.length(3);
    expect(links(app, 'followed-by')).to.have.length(2);
    expect(links(app, 'has-message')).to.have.length(6);
    for (const response of ofType(app, TYPE_IDS.entityType['ai-chat-response-message'])) {
      expect(entityPropertiesSchema('ai-chat-response-message').safeParse(response.properties).success).to.equal(true);
      expect(response.properties[TYPE_IDS.property['completion-status']]).to.equal('complete');
      expect(response.properties[TYPE_IDS.property['engine-id']]).to.equal('wasm');
    }
    // The conversation's engine is stored on the block entity.
    expect(app.store.get('ai-chat-block')?.properties[TYPE_IDS.property['engine-id']]).to.equal('wasm');
    app.remove();
  });

  it('editing turn 2 makes a branch in the store; both branches can be visited, also after reload', async function () {
    this.timeout(60_000);
    const app = await mountHost();
    const block = chatBlock(app);
    await chooseEngine(block, 'wasm');
    await turn(app, block, 'First', 1);
    await turn(app, block, 'Second', 2);
    await turn(app, block, 'Third', 3);
    const secondItem = [...shadow(block).querySelectorAll<HTMLElement>('article.message[data-role="user"]')][1];
    secondItem?.querySelector<HTMLButtonElement>('button[data-action="edit"]')?.click();
    await block.updateComplete;
    const editor = shadow(block).querySelector<HTMLTextAreaElement>('textarea.edit');
    if (!editor) throw new Error('no editor');
    editor.value = 'Second, edited';
    editor.dispatchEvent(new Event('input'));
    await block.updateComplete;
    button(block, 'save-edit')?.click();
    await until(
      () =>
        ofType(app, TYPE_IDS.entityType['ai-chat-response-message']).length === 4 &&
        shadow(block).querySelector('[data-save="saved"]') !== null,
      'the edited turn to be saved',
    );
    await until(() => drawn(block), 'the replies to be drawn');
    expect(messages(block)).to.deep.equal([
      'user: First',
      `assistant: ${alphabet}`,
      'user: Second, edited',
      `assistant: ${alphabet}`,
    ]);
    // The first response is followed by two requests: the original and the edit.
    const firstResponseId = links(app, 'has-response').find(
      (link) => link.linkData?.leftEntityId === links(app, 'rooted-at')[0]?.linkData?.rightEntityId,
    )?.linkData?.rightEntityId;
    const followers = links(app, 'followed-by').filter((link) => link.linkData?.leftEntityId === firstResponseId);
    expect(followers).to.have.length(2);
    const texts = followers.map(
      (link) => app.store.get(link.linkData?.rightEntityId ?? '')?.properties[BP.property.textualContent],
    );
    expect(texts).to.have.members(['Second', 'Second, edited']);

    const dbName = app.config.dbName;
    app.remove();
    const reloaded = await mountHost({ dbName });
    const again = chatBlock(reloaded);
    await until(
      () => messages(again).length === 4 && drawn(again),
      () => `the newest branch after the reload (shown: ${JSON.stringify(messages(again))})`,
    );
    expect(shadow(again).querySelector('.branch-position')?.textContent).to.equal('2/2');
    button(again, 'previous-branch')?.click();
    await until(() => messages(again).length === 6 && drawn(again), 'the original branch');
    await until(() => drawn(again), 'the replies to be drawn');
    expect(messages(again)).to.deep.equal([
      'user: First',
      `assistant: ${alphabet}`,
      'user: Second',
      `assistant: ${alphabet}`,
      'user: Third',
      `assistant: ${alphabet}`,
    ]);
    expect(shadow(again).querySelector('.branch-position')?.textContent).to.equal('1/2');
    button(again, 'next-branch')?.click();
    await until(() => messages(again).length === 4 && drawn(again), 'back to the edited branch');
    reloaded.remove();
  });

  it('regenerating a reply adds a sibling response to the same request', async () => {
    const app = await mountHost();
    const block = chatBlock(app);
    await chooseEngine(block, 'wasm');
    await turn(app, block, 'Hi', 1);
    button(block, 'regenerate')?.click();
    await until(
      () =>
        ofType(app, TYPE_IDS.entityType['ai-chat-response-message']).length === 2 &&
        shadow(block).querySelector('[data-save="saved"]') !== null,
      'the second reply to be saved',
    );
    expect(ofType(app, TYPE_IDS.entityType['ai-chat-request-message'])).to.have.length(1);
    expect(links(app, 'has-response')).to.have.length(2);
    expect(
      shadow(block).querySelector('article.message[data-role="assistant"] .branch-position')?.textContent,
    ).to.equal('2/2');
    app.remove();
  });

  it('switching engine mid-conversation carries the history over to the new engine', async () => {
    const app = await mountHost();
    const block = chatBlock(app);
    await chooseEngine(block, 'wasm');
    await turn(app, block, 'First on the CPU', 1);
    const sent: unknown[] = [];
    const host = app as unknown as { callService: (method: string, payload: unknown) => Promise<unknown> };
    const callService = host.callService.bind(app);
    host.callService = (method, payload) => {
      sent.push(payload);
      return callService(method, payload);
    };
    await chooseEngine(block, 'service-module');
    await turn(app, block, 'Then through the host', 2);
    const request = sent[0] as { messages: { role: string; content: string }[] };
    expect(request.messages.map((message) => `${message.role}: ${message.content}`).slice(-3)).to.deep.equal([
      'user: First on the CPU',
      `assistant: ${alphabet}`,
      'user: Then through the host',
    ]);
    const engines = ofType(app, TYPE_IDS.entityType['ai-chat-response-message']).map(
      (response) => response.properties[TYPE_IDS.property['engine-id']],
    );
    expect(engines).to.have.members(['wasm', 'service-module']);
    app.remove();
  });

  it('leaves the oldest turns out of the request when history outgrows the context window; says so', async () => {
    const app = await mountHost();
    const block = chatBlock(app);
    // A window whose history half holds about 40 estimated tokens besides the system prompt: one
    // 100-character message (29) fits, two with the reply between them (69) do not.
    const system = Math.ceil((presetPrompt('helpful') ?? '').length / 4);
    block.settings = { contextWindow: 2 * (system + 16 + 40) };
    await chooseEngine(block, 'wasm');
    await turn(app, block, 'x'.repeat(100), 1);
    expect(shadow(block).querySelector('[data-notice="history-trimmed"]')).to.equal(null);
    await turn(app, block, 'y'.repeat(100), 2);
    expect(shadow(block).querySelector('[data-notice="history-trimmed"]')?.textContent).to.contain(
      '2 oldest messages were left out',
    );
    expect(messages(block)).to.have.length(4); // nothing is removed from the conversation itself
    app.remove();
  });

  it('saves a reply stopped mid-stream as incomplete', async function () {
    this.timeout(40_000);
    requireModelServer(servers, 'slowModel');
    const app = await mountHost();
    const block = chatBlock(app);
    block.settings = { openaiCompatible: { baseURL: servers.slowModel, model: 'tiny' } };
    await chooseEngine(block, 'openai-compatible');
    await send(block, 'Count slowly');
    await until(
      () => (shadow(block).querySelector('.streaming')?.textContent.trim().length ?? 0) >= 3,
      'some streamed text',
    );
    button(block, 'stop')?.click();
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the stopped reply to be saved');
    const [response] = ofType(app, TYPE_IDS.entityType['ai-chat-response-message']);
    const text = response?.properties[BP.property.textualContent] as string;
    expect(alphabet.startsWith(text)).to.equal(true);
    expect(text.length).to.be.lessThan(alphabet.length);
    expect(response?.properties[TYPE_IDS.property['completion-status']]).to.equal('stopped');
    expect(shadow(block).querySelector('.provenance')?.textContent).to.contain('stopped early');
    app.remove();
  });

  it('if the host fails a write after doing it, the retry leaves just one copy of each message and link', async () => {
    const app = await mountHost();
    const block = chatBlock(app);
    await chooseEngine(block, 'wasm');
    const store = app.store;
    const create = store.create.bind(store);
    let failures = 2;
    // The write lands but the answer is an error (a late failure): the worst case for duplicates.
    store.create = async (data) => {
      const created = await create(data);
      if (failures-- > 0) throw new Error('connection reset after write');
      return created;
    };
    await send(block, 'Hello');
    await until(() => shadow(block).querySelector('[data-save="unsaved"]') !== null, 'the unsaved state');
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the retried save');
    expect(ofType(app, TYPE_IDS.entityType['ai-chat-request-message'])).to.have.length(1);
    expect(ofType(app, TYPE_IDS.entityType['ai-chat-response-message'])).to.have.length(1);
    expect(links(app, 'rooted-at')).to.have.length(1);
    expect(links(app, 'has-response')).to.have.length(1);
    expect(links(app, 'has-message')).to.have.length(2);
    await until(() => drawn(block), 'the replies to be drawn');
    expect(messages(block)).to.deep.equal(['user: Hello', `assistant: ${alphabet}`]);
    app.remove();
  });

  it('shows the conversation read-only with no input and zero writes', async () => {
    const setup = await mountHost();
    await chooseEngine(chatBlock(setup), 'wasm');
    await turn(setup, chatBlock(setup), 'Remember me', 1);
    const dbName = setup.config.dbName;
    setup.remove();
    const app = await mountHost({ dbName, mode: { readonly: true } });
    const block = chatBlock(app);
    await until(() => messages(block).length === 2 && drawn(block), 'the saved conversation');
    expect(shadow(block).querySelector('#message')).to.equal(null);
    expect(shadow(block).querySelectorAll('button')).to.have.length(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(writes(app)).to.equal(0);
    app.remove();
  });

  it('opens a conversation written by HASH’s original AI Chat block, messages in order', async () => {
    const setup = await mountHost();
    const store = setup.store;
    await store.delete('ai-chat-block');
    await store.create({
      entityId: 'ai-chat-block',
      entityTypeId: LEGACY_HASH.entityType.aiChatBlock,
      properties: {
        [LEGACY_HASH.property.presetSystemPromptId]: 'concise',
        [LEGACY_HASH.property.openaiChatModelName]: 'gpt-4',
      },
    });
    const message = async (typeId: string, text: string) =>
      (await store.create({ entityTypeId: typeId, properties: { [BP.property.textualContent]: text } })).metadata
        .recordId.entityId;
    const link = (typeId: string, leftEntityId: string, rightEntityId: string) =>
      store.create({ entityTypeId: typeId, properties: {}, linkData: { leftEntityId, rightEntityId } });
    const q1 = await message(LEGACY_HASH.entityType.requestMessage, 'What is HASH?');
    const a1 = await message(LEGACY_HASH.entityType.responseMessage, 'An **open-source** knowledge graph.');
    const q2 = await message(LEGACY_HASH.entityType.requestMessage, 'Thanks');
    const a2 = await message(LEGACY_HASH.entityType.responseMessage, 'You are welcome.');
    await link(LEGACY_HASH.entityType.rootedAt, 'ai-chat-block', q1);
    await link(LEGACY_HASH.entityType.hasResponse, q1, a1);
    await link(LEGACY_HASH.entityType.followedBy, a1, q2);
    await link(LEGACY_HASH.entityType.hasResponse, q2, a2);
    const dbName = setup.config.dbName;
    setup.remove();
    const app = await mountHost({ dbName });
    const block = chatBlock(app);
    await until(
      () => shadow(block).querySelector('article.message[data-role="assistant"] strong') !== null,
      'the legacy conversation, rendered',
    );
    await until(() => drawn(block), 'the replies to be drawn');
    expect(messages(block)).to.deep.equal([
      'user: What is HASH?',
      'assistant: An open-source knowledge graph.',
      'user: Thanks',
      'assistant: You are welcome.',
    ]);
    expect(shadow(block).querySelector('article.message[data-role="assistant"] strong')?.textContent).to.equal(
      'open-source',
    );
    app.remove();
  });

  it('opens a long conversation scrolled to its newest message, with code highlighted', async () => {
    const setup = await mountHost();
    const store = setup.store;
    let previous: string | undefined;
    for (let index = 0; index < 20; index += 1) {
      const request = (
        await store.create({
          entityTypeId: TYPE_IDS.entityType['ai-chat-request-message'],
          properties: { [BP.property.textualContent]: `Question ${String(index)}` },
        })
      ).metadata.recordId.entityId;
      const response = (
        await store.create({
          entityTypeId: TYPE_IDS.entityType['ai-chat-response-message'],
          properties: {
            [BP.property.textualContent]:
              `Answer ${String(index)}\n\n- one\n- two\n\n\`\`\`js\nconst n = ${String(index)};\n\`\`\``,
          },
        })
      ).metadata.recordId.entityId;
      await store.create({
        entityTypeId: previous ? TYPE_IDS.entityType['followed-by'] : TYPE_IDS.entityType['rooted-at'],
        properties: {},
        linkData: { leftEntityId: previous ?? 'ai-chat-block', rightEntityId: request },
      });
      await store.create({
        entityTypeId: TYPE_IDS.entityType['has-response'],
        properties: {},
        linkData: { leftEntityId: request, rightEntityId: response },
      });
      previous = response;
    }
    const dbName = setup.config.dbName;
    setup.remove();
    const app = await mountHost({ dbName });
    const block = chatBlock(app);
    await until(() => messages(block).length === 40 && drawn(block), 'the conversation');
    const thread = shadow(block).querySelector<HTMLElement>('.thread');
    if (!thread) throw new Error('no thread');
    await until(
      () =>
        thread.scrollHeight > thread.clientHeight && thread.scrollHeight - thread.scrollTop - thread.clientHeight < 2,
      'the newest message in view',
    );
    await until(() => drawn(block), 'the replies to be drawn');
    expect(messages(block).at(-1)).to.contain('Answer 19');
    // Code in replies is highlighted once the highlighter has loaded.
    await until(
      () => shadow(block).querySelector('article.message pre code.hljs .hljs-keyword') !== null,
      'highlighted code',
    );
    app.remove();
  });

  it('shows an example conversation and makes no AI call in the hub preview', async () => {
    const app = await mountHost({ mode: { hubPreview: true } });
    const block = chatBlock(app);
    await block.updateComplete;
    expect(shadow(block).querySelector('[aria-label="Example conversation"]')).to.not.equal(null);
    expect(app.log.serviceRequests).to.equal(0);
    app.remove();
  });

  it('is accessible', async () => {
    const app = await mountHost();
    const block = chatBlock(app);
    await block.updateComplete;
    await expect(block).to.be.accessible();
    app.remove();
  });
});
