import { BP, entityPropertiesSchema, LEGACY_HASH, TYPE_IDS } from '@ai-blocks/block-metadata';
import {
  appendChatTurn,
  createGraphClient,
  keepImage,
  readChatTree,
  readKeptImages,
  readTextBlock,
  rootEntity,
  saveTextOutput,
  type GraphClient,
} from '@ai-blocks/persistence';
import type { Entity } from '@blockprotocol/graph';
import { describe, expect, it } from 'vitest';
import { FakeGraphModule } from '../../helpers/fake-graph-module.js';

const ids = TYPE_IDS;

async function blockEntity(
  fake: FakeGraphModule,
  slug: 'ai-text-block' | 'ai-image-block' | 'ai-chat-block',
  properties: Record<string, unknown> = {},
): Promise<Entity> {
  return fake.store.create({ entityTypeId: ids.entityType[slug], properties: properties as Entity['properties'] });
}

/** Retries an operation the way the Saver does, until it succeeds (bounded). */
async function withRetries<T>(operation: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

describe('keeping a text output', () => {
  it('writes prompt, text and provenance in one update that keeps unknown properties and validates', async () => {
    const fake = new FakeGraphModule();
    const entity = await blockEntity(fake, 'ai-text-block', { 'https://host.test/their-own/': 'keep me' });
    const client = createGraphClient(fake.module);
    await saveTextOutput(client, entity, {
      prompt: 'Say hi',
      text: 'Hi!',
      temperature: 0.2,
      provenance: {
        engineId: 'wasm',
        modelId: 'tiny',
        inputTokens: 3,
        outputTokens: 2,
        durationMs: 12,
        completionStatus: 'complete',
        startedAt: '2026-11-24T00:00:00.000Z',
      },
    });
    expect(fake.writes().map((call) => call.method)).toEqual(['updateEntity']);
    const stored = fake.store.get(entity.metadata.recordId.entityId);
    expect(stored?.properties).toMatchObject({
      'https://host.test/their-own/': 'keep me',
      [ids.property.prompt]: 'Say hi',
      [ids.property.textualContent]: 'Hi!',
      [ids.property['engine-id']]: 'wasm',
      [ids.property['output-tokens']]: 2,
    });
    expect(entityPropertiesSchema('ai-text-block').safeParse(stored?.properties).success).toBe(true);
    const view = readTextBlock(stored);
    expect(view).toMatchObject({
      prompt: 'Say hi',
      text: 'Hi!',
      temperature: 0.2,
      legacy: false,
      provenance: { engineId: 'wasm', completionStatus: 'complete' },
    });
  });

  it('reads bad or foreign data as defaults with warnings, never a crash', () => {
    const entity = {
      metadata: { recordId: { entityId: 'e', editionId: '1' }, entityTypeId: ids.entityType['ai-text-block'] },
      properties: {
        [ids.property.prompt]: 42,
        [ids.property.textualContent]: 'ok',
        [ids.property['output-tokens']]: 'many',
      },
    } as unknown as Entity;
    const view = readTextBlock(entity);
    expect(view.prompt).toBe('');
    expect(view.text).toBe('ok');
    expect(view.provenance.outputTokens).toBeUndefined();
    expect(view.warnings).toHaveLength(2);
    expect(readTextBlock({ ...entity, properties: 'garbage' } as unknown as Entity).warnings.length).toBeGreaterThan(0);
  });

  it('opens and updates HASH’s ai-text-block/v/2 entity without changing its type', async () => {
    const fake = new FakeGraphModule();
    const legacy = await fake.store.create({
      entityTypeId: LEGACY_HASH.entityType.aiTextBlock,
      properties: {
        [LEGACY_HASH.property.openaiTextModelName]: 'gpt-3.5-turbo',
        [LEGACY_HASH.property.openaiTextModelPrompt]: 'Write a haiku',
        [BP.property.textualContent]: 'Old pond / a frog jumps in',
      },
    });
    const view = readTextBlock(legacy);
    expect(view).toMatchObject({
      legacy: true,
      prompt: 'Write a haiku',
      text: 'Old pond / a frog jumps in',
      provenance: { modelId: 'gpt-3.5-turbo' },
    });
    await saveTextOutput(createGraphClient(fake.module), legacy, {
      prompt: 'Write a limerick',
      text: 'There once was…',
      provenance: { modelId: 'tiny' },
    });
    const stored = fake.store.get(legacy.metadata.recordId.entityId);
    expect(stored?.metadata.entityTypeId).toBe(LEGACY_HASH.entityType.aiTextBlock);
    expect(stored?.properties).toEqual({
      [LEGACY_HASH.property.openaiTextModelName]: 'tiny',
      [LEGACY_HASH.property.openaiTextModelPrompt]: 'Write a limerick',
      [BP.property.textualContent]: 'There once was…',
    });
  });
});

describe('chat turns', () => {
  function chatSubgraph(fake: FakeGraphModule, blockId: string, temporal = false) {
    return fake.store.subgraph([blockId], undefined, { temporal });
  }

  it('writes a turn once even when a write landed but answered too late, and a retry followed', async () => {
    const fake = new FakeGraphModule();
    const block = await blockEntity(fake, 'ai-chat-block');
    const client: GraphClient = createGraphClient(fake.module, { timeoutMs: 40 });
    // The response entity is created, but its answer comes after the client gave up.
    fake.fail(
      'createEntity',
      { kind: 'late', ms: 0 },
      { kind: 'late', ms: 0 },
      { kind: 'late', ms: 0 },
      { kind: 'late', ms: 200 },
    );
    const turn = {
      blockEntity: block,
      after: { kind: 'root' as const },
      request: { clientId: 'req-1', text: 'Hello' },
      response: {
        clientId: 'res-1',
        text: 'Hi there',
        provenance: { engineId: 'wasm', completionStatus: 'complete' as const },
      },
    };
    await expect(appendChatTurn(client, turn)).rejects.toMatchObject({ code: 'TIMEOUT' });
    const written = await withRetries(() => appendChatTurn(client, turn));
    const tree = readChatTree(chatSubgraph(fake, block.metadata.recordId.entityId), block);
    expect(tree.rootIds).toEqual([written.requestId]);
    expect([...tree.messages.values()].map((message) => [message.role, message.text])).toEqual([
      ['user', 'Hello'],
      ['assistant', 'Hi there'],
    ]);
    const byType = (slug: keyof typeof ids.entityType) =>
      fake.store.all().filter(({ entity }) => entity.metadata.entityTypeId === ids.entityType[slug]).length;
    expect(byType('ai-chat-request-message')).toBe(1);
    expect(byType('ai-chat-response-message')).toBe(1);
    expect(byType('rooted-at')).toBe(1);
    expect(byType('has-response')).toBe(1);
    expect(byType('has-message')).toBe(2);
  });

  it('reads branches: a regenerated reply and an edited request are siblings', async () => {
    const fake = new FakeGraphModule();
    const block = await blockEntity(fake, 'ai-chat-block');
    const client = createGraphClient(fake.module);
    const first = await appendChatTurn(client, {
      blockEntity: block,
      after: { kind: 'root' },
      request: { clientId: 'q1', text: 'Q1' },
      response: { clientId: 'a1', text: 'A1', provenance: {} },
    });
    await appendChatTurn(client, {
      blockEntity: block,
      after: { kind: 'root' },
      request: { existingRequestId: first.requestId },
      response: { clientId: 'a1b', text: 'A1 again', provenance: {} },
    });
    await appendChatTurn(client, {
      blockEntity: block,
      after: { kind: 'response', responseId: first.responseId },
      request: { clientId: 'q2', text: 'Q2' },
      response: { clientId: 'a2', text: 'A2', provenance: {} },
    });
    await appendChatTurn(client, {
      blockEntity: block,
      after: { kind: 'response', responseId: first.responseId },
      request: { clientId: 'q2b', text: 'Q2 edited' },
      response: { clientId: 'a2b', text: 'A2b', provenance: { completionStatus: 'stopped' } },
    });
    for (const temporal of [false, true]) {
      const tree = readChatTree(
        chatSubgraph(fake, block.metadata.recordId.entityId, temporal),
        rootEntity(chatSubgraph(fake, block.metadata.recordId.entityId, temporal)),
      );
      const text = (id: string | undefined) => (id ? tree.messages.get(id)?.text : undefined);
      const root = tree.messages.get(tree.rootIds[0] ?? '');
      expect(root?.childIds.map(text)).toEqual(['A1', 'A1 again']);
      const a1 = tree.messages.get(root?.childIds[0] ?? '');
      expect(a1?.childIds.map(text)).toEqual(['Q2', 'Q2 edited']);
      const edited = tree.messages.get(a1?.childIds[1] ?? '');
      expect(tree.messages.get(edited?.childIds[0] ?? '')?.provenance.completionStatus).toBe('stopped');
    }
  });

  it('opens a HASH ai-chat-block/v/1 conversation with its messages in order', async () => {
    const fake = new FakeGraphModule();
    const block = await fake.store.create({
      entityTypeId: LEGACY_HASH.entityType.aiChatBlock,
      properties: { [LEGACY_HASH.property.presetSystemPromptId]: 'pirate' },
    });
    const message = (type: string, text: string) =>
      fake.store.create({ entityTypeId: type, properties: { [BP.property.textualContent]: text } });
    const link = (type: string, left: Entity, right: Entity) =>
      fake.store.create({
        entityTypeId: type,
        properties: {},
        linkData: { leftEntityId: left.metadata.recordId.entityId, rightEntityId: right.metadata.recordId.entityId },
      });
    const q1 = await message(LEGACY_HASH.entityType.requestMessage, 'Ahoy?');
    const a1 = await message(LEGACY_HASH.entityType.responseMessage, 'Arr, hello.');
    const q2 = await message(LEGACY_HASH.entityType.requestMessage, 'Where be the treasure?');
    const a2 = await message(LEGACY_HASH.entityType.responseMessage, 'Under the palm.');
    await link(LEGACY_HASH.entityType.rootedAt, block, q1);
    await link(LEGACY_HASH.entityType.hasResponse, q1, a1);
    await link(LEGACY_HASH.entityType.followedBy, a1, q2);
    await link(LEGACY_HASH.entityType.hasResponse, q2, a2);
    for (const entity of [q1, a1, q2, a2]) await link(LEGACY_HASH.entityType.hasMessage, block, entity);
    const subgraph = fake.store.subgraph([block.metadata.recordId.entityId], undefined, { temporal: true });
    const tree = readChatTree(subgraph, rootEntity(subgraph));
    expect(tree.legacy).toBe(true);
    const thread: string[] = [];
    for (let id = tree.rootIds[0]; id; id = tree.messages.get(id)?.childIds[0])
      thread.push(`${tree.messages.get(id)?.role}: ${tree.messages.get(id)?.text}`);
    expect(thread).toEqual([
      'user: Ahoy?',
      'assistant: Arr, hello.',
      'user: Where be the treasure?',
      'assistant: Under the palm.',
    ]);
    expect(tree.warnings).toEqual([]);
  });
});

describe('kept images', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

  it('uploads a kept image once and links it with prompt and provenance, even after a late upload answer', async () => {
    const fake = new FakeGraphModule();
    const block = await blockEntity(fake, 'ai-image-block');
    const client = createGraphClient(fake.module, { timeoutMs: 40 });
    fake.fail('uploadFile', { kind: 'late', ms: 200 });
    const image = {
      blockEntity: block,
      clientId: 'img-1',
      bytes: png,
      mediaType: 'image/png',
      prompt: 'a lighthouse',
      size: '256x256',
      provenance: { engineId: 'openai-compatible', modelId: 'gpt-image-1' },
    };
    await expect(keepImage(client, image)).rejects.toMatchObject({ code: 'TIMEOUT' });
    await keepImage(client, image);
    const files = fake.store.all().filter(({ entity }) => entity.metadata.entityTypeId === BP.entityType.remoteFile);
    expect(files).toHaveLength(1);
    const stored = fake.store.file(files[0]?.entity.metadata.recordId.entityId ?? '');
    expect(stored && new Uint8Array(await stored.arrayBuffer())).toEqual(png);
    const { images } = readKeptImages(fake.store.subgraph([block.metadata.recordId.entityId]), block);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({
      prompt: 'a lighthouse',
      size: '256x256',
      mimeType: 'image/png',
      provenance: { modelId: 'gpt-image-1' },
    });
    expect(images[0]?.url.startsWith('data:image/png;base64,')).toBe(true);
  });

  it('reads HASH’s ai-image-block/v/3 with its generated link to a remote file', async () => {
    const fake = new FakeGraphModule();
    const block = await fake.store.create({
      entityTypeId: LEGACY_HASH.entityType.aiImageBlock,
      properties: { [LEGACY_HASH.property.openaiImageModelPrompt]: 'a cat' },
    });
    const file = await fake.store.create({
      entityTypeId: BP.entityType.remoteFile,
      properties: {
        [BP.property.fileUrl]: 'https://files.example.test/cat.png',
        [BP.property.mimeType]: 'image/png',
        [BP.property.fileName]: 'cat.png',
        [BP.property.description]: 'a cat',
      },
    });
    await fake.store.create({
      entityTypeId: LEGACY_HASH.entityType.generated,
      properties: {},
      linkData: { leftEntityId: block.metadata.recordId.entityId, rightEntityId: file.metadata.recordId.entityId },
    });
    const { images } = readKeptImages(
      fake.store.subgraph([block.metadata.recordId.entityId], undefined, { temporal: true }),
      block,
    );
    expect(images).toEqual([
      expect.objectContaining({ url: 'https://files.example.test/cat.png', prompt: 'a cat', fileName: 'cat.png' }),
    ]);
  });
});
