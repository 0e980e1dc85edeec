// Persistence against hosts that answer queryEntities badly (or not at all), late answers,
// permanent errors and a detached chat: every message, link and file is written once.
import { BP, TYPE_IDS } from '@ai-blocks/block-metadata';
import {
  appendChatTurn,
  ChatTurnQueue,
  createGraphClient,
  findEntity,
  GraphError,
  keepImage,
  readChatTree,
  readKeptImages,
  Saver,
  UnloadGuard,
  type ChatSaveState,
  type GraphClient,
  type QueuedTurn,
} from '@ai-blocks/persistence';
import type { Entity, VersionedUrl } from '@blockprotocol/graph';
import { describe, expect, it } from 'vitest';
import type { QueryEntitiesMode } from '../../../packages/host/src/store/graph-callbacks.js';
import { FakeGraphModule } from '../../helpers/fake-graph-module.js';

const ids = TYPE_IDS;
const MESSAGE_TYPES = [ids.entityType['ai-chat-request-message'], ids.entityType['ai-chat-response-message']];
const LINK_TYPES = (['rooted-at', 'has-response', 'followed-by', 'has-message', 'generated-image'] as const).map(
  (slug) => ids.entityType[slug],
);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await wait(2);
  }
}

/** Messages by client id, links by type and ends, files by name: how often each is in the store. */
function duplicates(fake: FakeGraphModule): string[] {
  const seen = new Map<string, number>();
  for (const { entity } of fake.store.all()) {
    const type = entity.metadata.entityTypeId;
    const props = entity.properties as Record<string, unknown>;
    let key: string | undefined;
    if (MESSAGE_TYPES.includes(type)) key = `message ${String(props[ids.property['client-id']])}`;
    else if (LINK_TYPES.includes(type))
      key = `link ${type} ${entity.linkData?.leftEntityId ?? ''} ${entity.linkData?.rightEntityId ?? ''}`;
    else if (type === BP.entityType.remoteFile) key = `file ${String(props[BP.property.fileName])}`;
    if (key) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${key} ×${count}`);
}

const count = (fake: FakeGraphModule, typeId: string) =>
  fake.store.all().filter(({ entity }) => entity.metadata.entityTypeId === typeId).length;

function chatSetup(mode: QueryEntitiesMode, clientOptions: { timeoutMs?: number } = {}) {
  const fake = new FakeGraphModule({ queryEntities: mode });
  const client: GraphClient = createGraphClient(fake.module, clientOptions);
  let block: Entity | undefined;
  const states: ChatSaveState[] = [];
  const queue = new ChatTurnQueue({
    write: (turn) => appendChatTurn(client, { blockEntity: block as Entity, ...turn }),
    resolveKey: () => undefined,
    onChange: (state) => states.push(state),
    initialDelayMs: 1,
    maxDelayMs: 5,
  });
  const init = async () => {
    block = await fake.store.create({ entityTypeId: ids.entityType['ai-chat-block'], properties: {} });
  };
  /** The conversation as a reader after a reload sees it, branches in brackets. */
  const thread = () => {
    const subgraph = fake.store.subgraph([block?.metadata.recordId.entityId ?? '']);
    const tree = readChatTree(subgraph, block);
    const walk = (id: string | undefined): string[] => {
      const node = tree.messages.get(id ?? '');
      return node
        ? [
            node.text,
            ...node.childIds.flatMap((child, index) =>
              index === 0 ? walk(child) : [`[${tree.messages.get(child)?.text ?? ''}]`, ...walk(child).slice(1)],
            ),
          ]
        : [];
    };
    return tree.rootIds.flatMap((root) => walk(root));
  };
  return { fake, client, queue, states, init, thread };
}

const reply = (clientId: string, text: string) => ({
  clientId,
  text,
  provenance: { engineId: 'wasm', completionStatus: 'complete' as const },
});

/** Three turns, an edited second message (a branch) and a regenerated reply. */
const CONVERSATION: QueuedTurn[] = [
  { request: { clientId: 'q1', text: 'one', afterResponseKey: undefined }, response: reply('a1', 'A') },
  { request: { clientId: 'q2', text: 'two', afterResponseKey: 'a1' }, response: reply('a2', 'B') },
  { request: { clientId: 'q3', text: 'three', afterResponseKey: 'a2' }, response: reply('a3', 'C') },
  { request: { clientId: 'q2b', text: 'two, edited', afterResponseKey: 'a1' }, response: reply('a2b', 'B2') },
  { request: { existingRequestKey: 'q3' }, response: reply('a3b', 'C again') },
];
const EXPECTED_THREAD = ['one', 'A', 'two', 'B', 'three', 'C', '[C again]', '[two, edited]', 'B2'];

function expectWrittenOnce(fake: FakeGraphModule): void {
  expect(duplicates(fake)).toEqual([]);
  expect(count(fake, ids.entityType['ai-chat-request-message'])).toBe(4);
  expect(count(fake, ids.entityType['ai-chat-response-message'])).toBe(5);
  expect(count(fake, ids.entityType['rooted-at'])).toBe(1);
  expect(count(fake, ids.entityType['followed-by'])).toBe(3);
  expect(count(fake, ids.entityType['has-response'])).toBe(5);
  expect(count(fake, ids.entityType['has-message'])).toBe(9);
}

describe('chat turns on hosts that answer queryEntities differently', () => {
  it.each<QueryEntitiesMode>(['filtered', 'unfiltered', 'partial', 'not-implemented'])(
    'a %s host gets every message and link once, and the conversation reads back',
    async (mode) => {
      const { fake, queue, init, thread, states } = chatSetup(mode);
      await init();
      for (const turn of CONVERSATION) queue.enqueue(turn);
      await until(
        () => queue.state.status === 'saved',
        `the ${mode} host's turns to save (state ${JSON.stringify(queue.state)})`,
      );
      expectWrittenOnce(fake);
      expect(thread()).toEqual(EXPECTED_THREAD);
      expect(states.filter((state) => state.status === 'saved').every((state) => state.pending === 0)).toBe(true);
      if (mode === 'not-implemented') {
        // Asked once, then lookups go through getEntity around the block.
        expect(fake.calls.filter((call) => call.method === 'queryEntities')).toHaveLength(1);
      }
    },
  );

  it('ignores query results that do not really match (type, client id, link ends)', async () => {
    const fake = new FakeGraphModule({ queryEntities: 'unfiltered' });
    const client = createGraphClient(fake.module);
    const other = await fake.store.create({
      entityTypeId: ids.entityType['ai-chat-request-message'],
      properties: { [ids.property['client-id']]: 'someone-else' },
    });
    expect(other).toBeDefined();
    const filters = [
      {
        field: ['metadata', 'entityTypeId'],
        operator: 'EQUALS' as const,
        value: ids.entityType['ai-chat-request-message'],
      },
      { field: ['properties', ids.property['client-id']], operator: 'EQUALS' as const, value: 'mine' },
    ];
    expect(await findEntity(client, filters)).toBeUndefined();
    const mine = await fake.store.create({
      entityTypeId: ids.entityType['ai-chat-request-message'],
      properties: { [ids.property['client-id']]: 'mine' },
    });
    expect((await findEntity(client, filters))?.metadata.recordId.entityId).toBe(mine.metadata.recordId.entityId);
  });

  it('with no queryEntities, a link whose create landed but answered an error is found, not duplicated', async () => {
    const { fake, queue, init, thread } = chatSetup('not-implemented');
    await init();
    // Request, rooted-at link (landed, answered INTERNAL_ERROR), …
    fake.hostFaults.next = {
      createEntity: [
        { kind: 'late', ms: 0 },
        { kind: 'error-after-write', code: 'INTERNAL_ERROR' },
      ],
    };
    queue.enqueue(CONVERSATION[0] as QueuedTurn);
    await until(() => queue.state.status === 'saved', 'the turn to save');
    expect(duplicates(fake)).toEqual([]);
    expect(count(fake, ids.entityType['rooted-at'])).toBe(1);
    expect(thread()).toEqual(['one', 'A']);
  });
});

describe('late answers and timeouts', () => {
  it('a timed-out call rejects at its deadline and still reports what the late answer said', async () => {
    const fake = new FakeGraphModule({ always: { createEntity: { kind: 'late', ms: 60 } } });
    const client = createGraphClient(fake.module, { timeoutMs: 10 });
    const error = (await client
      .createEntity({ entityTypeId: ids.entityType['ai-chat-block'] as VersionedUrl, properties: {} })
      .catch((caught: unknown) => caught)) as GraphError;
    expect(error.code).toBe('TIMEOUT');
    const late = (await error.late) as Entity;
    expect(fake.store.get(late.metadata.recordId.entityId)).toBeDefined();
  });

  it('a call whose module is destroyed (the block was detached) fails without waiting for the timeout', async () => {
    const fake = new FakeGraphModule({ always: { createEntity: { kind: 'late', ms: 1000 } } });
    const module = Object.assign(fake.module, { destroyed: false });
    const client = createGraphClient(module, { timeoutMs: 60_000 });
    const call = client
      .createEntity({ entityTypeId: ids.entityType['ai-chat-block'] as VersionedUrl, properties: {} })
      .catch((caught: unknown) => caught);
    module.destroyed = true;
    const error = (await call) as GraphError;
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.message).toContain('detached');
    expect(error.late).toBeDefined();
  });

  it.each<QueryEntitiesMode>(['not-implemented', 'unfiltered'])(
    'on a %s host, a create that times out and lands later is used by the retry, not made twice',
    async (mode) => {
      const { fake, queue, init, thread } = chatSetup(mode, { timeoutMs: 20 });
      await init();
      // The request message lands at once but is answered after the client gave up.
      fake.hostFaults.next = { createEntity: [{ kind: 'late', ms: 40 }] };
      queue.enqueue(CONVERSATION[0] as QueuedTurn);
      await until(() => queue.state.status === 'saved', 'the turn to save');
      await wait(60);
      expect(duplicates(fake)).toEqual([]);
      expect(count(fake, ids.entityType['ai-chat-request-message'])).toBe(1);
      expect(thread()).toEqual(['one', 'A']);
    },
  );

  it('a create that lands after the retry made its replacement is deleted again (no orphan duplicate)', async () => {
    const { fake, queue, init, thread } = chatSetup('not-implemented', { timeoutMs: 10 });
    await init();
    // Answered only after the client's deadline and the retry's wait: the retry creates a replacement.
    fake.hostFaults.next = { createEntity: [{ kind: 'slow', ms: 60 }] };
    queue.enqueue(CONVERSATION[0] as QueuedTurn);
    await until(() => queue.state.status === 'saved', 'the turn to save');
    await until(
      () => fake.calls.some((call) => call.method === 'deleteEntity'),
      'the late duplicate to be deleted',
      2000,
    );
    await wait(20);
    expect(duplicates(fake)).toEqual([]);
    expect(count(fake, ids.entityType['ai-chat-request-message'])).toBe(1);
    expect(thread()).toEqual(['one', 'A']);
  });
});

describe('kept images on sloppy hosts', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7]);

  it.each<QueryEntitiesMode>(['unfiltered', 'partial', 'not-implemented'])(
    'a %s host gets each kept file and link once, also when the upload answer is late',
    async (mode) => {
      const fake = new FakeGraphModule({ queryEntities: mode });
      const block = await fake.store.create({ entityTypeId: ids.entityType['ai-image-block'], properties: {} });
      const client = createGraphClient(fake.module, { timeoutMs: 20 });
      const image = (clientId: string) => ({
        blockEntity: block,
        clientId,
        bytes: png,
        mediaType: 'image/png',
        prompt: 'a lighthouse',
        provenance: { engineId: 'openai-compatible' },
      });
      const first = image('img-1');
      const second = image('img-2');
      await keepImage(client, first);
      fake.hostFaults.next = { uploadFile: [{ kind: 'late', ms: 40 }] };
      await expect(keepImage(client, second)).rejects.toMatchObject({ code: 'TIMEOUT' });
      await keepImage(client, second);
      // Keeping again (the saver retries the whole list) writes nothing new.
      await keepImage(client, first);
      await wait(60);
      expect(duplicates(fake)).toEqual([]);
      expect(count(fake, BP.entityType.remoteFile)).toBe(2);
      expect(count(fake, ids.entityType['generated-image'])).toBe(2);
      expect(readKeptImages(fake.store.subgraph([block.metadata.recordId.entityId]), block).images).toHaveLength(2);
    },
  );
});

describe('a chat that is detached and attached again', () => {
  it('keeps turns queued while detached, never says saved meanwhile, and writes them after resume', async () => {
    const { fake, queue, init, thread } = chatSetup('filtered');
    await init();
    queue.enqueue(CONVERSATION[0] as QueuedTurn);
    await until(() => queue.state.status === 'saved', 'the first turn');
    queue.dispose();
    queue.enqueue(CONVERSATION[1] as QueuedTurn);
    await wait(10);
    expect(queue.state).toMatchObject({ status: 'unsaved', pending: 1 });
    expect(queue.hasUnsaved).toBe(true);
    queue.resume();
    await until(() => queue.state.status === 'saved', 'the turn queued while detached');
    expect(queue.state.pending).toBe(0);
    expect(thread()).toEqual(['one', 'A', 'two', 'B']);
    expect(duplicates(fake)).toEqual([]);
  });

  it('a turn whose write was cut off by the detach (landed, answer lost) is finished after resume, once', async () => {
    const { fake, queue, init, thread } = chatSetup('filtered', { timeoutMs: 20 });
    await init();
    // The request lands, but its answer never reaches the detached block (Block Protocol drops it).
    fake.hostFaults.next = { createEntity: [{ kind: 'late', ms: 1000 }] };
    queue.enqueue(CONVERSATION[0] as QueuedTurn);
    await wait(5);
    queue.dispose();
    await until(() => queue.state.status === 'unsaved', 'the cut-off write to fail');
    await wait(30);
    // Detached: no retry runs or is announced, nothing claims to be saved.
    expect(queue.state).toMatchObject({ status: 'unsaved', pending: 1 });
    expect(queue.state.nextRetryAt).toBeUndefined();
    expect(fake.calls.filter((call) => call.method === 'createEntity')).toHaveLength(1);
    queue.resume();
    await until(() => queue.state.status === 'saved', 'the interrupted turn');
    expect(thread()).toEqual(['one', 'A']);
    expect(duplicates(fake)).toEqual([]);
  });
});

describe('permanent and transient errors', () => {
  it.each(['FORBIDDEN', 'INVALID_INPUT', 'NOT_FOUND', 'NOT_IMPLEMENTED'])(
    'the chat queue stops at once on %s, says so, and writes after Retry now',
    async (code) => {
      const { fake, queue, init, thread } = chatSetup('filtered');
      await init();
      fake.hostFaults.next = { createEntity: [{ kind: 'error', code: code as 'FORBIDDEN' }] };
      queue.enqueue(CONVERSATION[0] as QueuedTurn);
      await until(() => queue.state.status === 'unsaved', 'the refusal');
      await wait(20);
      expect(queue.state).toMatchObject({ status: 'unsaved', pending: 1, lastError: { code } });
      expect(queue.state.nextRetryAt).toBeUndefined();
      expect(fake.calls.filter((call) => call.method === 'createEntity')).toHaveLength(1);
      queue.retryNow();
      await until(() => queue.state.status === 'saved', 'the turn after Retry now');
      expect(thread()).toEqual(['one', 'A']);
    },
  );

  it('the chat queue retries a transient error by itself', async () => {
    const { fake, queue, init, thread, states } = chatSetup('filtered');
    await init();
    fake.hostFaults.next = { createEntity: [{ kind: 'error', code: 'INTERNAL_ERROR' }] };
    queue.enqueue(CONVERSATION[0] as QueuedTurn);
    await until(() => queue.state.status === 'saved', 'the turn after a retry');
    expect(states.some((state) => state.status === 'unsaved' && state.nextRetryAt !== undefined)).toBe(true);
    expect(thread()).toEqual(['one', 'A']);
  });

  it.each(['FORBIDDEN', 'INVALID_INPUT', 'NOT_FOUND', 'NOT_IMPLEMENTED'] as const)(
    'the saver stops at once on %s and keeps the value for Retry now',
    async (code) => {
      let attempts = 0;
      const saver = new Saver<string>({
        write: () => {
          attempts += 1;
          return Promise.reject(new GraphError(code, 'refused'));
        },
        initialDelayMs: 1,
      });
      const state = await saver.save('text');
      expect(state).toMatchObject({ status: 'unsaved', lastError: { code } });
      expect(state.nextRetryAt).toBeUndefined();
      await wait(20);
      expect(attempts).toBe(1);
      expect(saver.hasUnsaved).toBe(true);
    },
  );

  it('the saver drops its "retrying" state when disposed, and writes again after resume', async () => {
    let healthy = false;
    const written: string[] = [];
    const saver = new Saver<string>({
      write: (value) => {
        if (!healthy) return Promise.reject(new GraphError('TIMEOUT', 'slow'));
        written.push(value);
        return Promise.resolve();
      },
      initialDelayMs: 10_000,
    });
    void saver.save('text');
    await until(() => saver.state.nextRetryAt !== undefined, 'a scheduled retry');
    saver.dispose();
    expect(saver.state.status).toBe('unsaved');
    expect(saver.state.nextRetryAt).toBeUndefined();
    healthy = true;
    saver.resume();
    await until(() => saver.state.status === 'saved', 'the value after resume');
    expect(written).toEqual(['text']);
  });
});

describe('unload guard', () => {
  const beforeUnload = (target: EventTarget) => {
    const event = new Event('beforeunload', { cancelable: true });
    target.dispatchEvent(event);
    return event.defaultPrevented;
  };

  it('asks before leaving only while registered work is unsaved, and stops listening when released', () => {
    const target = new EventTarget();
    const guard = new UnloadGuard(target);
    const chat = { hasUnsaved: false };
    const text = { hasUnsaved: false };
    guard.add(chat);
    guard.add(text);
    expect(beforeUnload(target)).toBe(false);
    text.hasUnsaved = true;
    expect(beforeUnload(target)).toBe(true);
    guard.remove(text);
    expect(beforeUnload(target)).toBe(false);
    chat.hasUnsaved = true;
    expect(beforeUnload(target)).toBe(true);
    guard.remove(chat);
    expect(beforeUnload(target)).toBe(false);
  });

  it('a queue with a turn being written counts as unsaved until it lands', async () => {
    const { fake, queue, init } = chatSetup('filtered');
    await init();
    const target = new EventTarget();
    const guard = new UnloadGuard(target);
    guard.add(queue);
    fake.hostFaults.next = { createEntity: [{ kind: 'slow', ms: 30 }] };
    queue.enqueue(CONVERSATION[0] as QueuedTurn);
    expect(beforeUnload(target)).toBe(true);
    await until(() => queue.state.status === 'saved', 'the turn');
    expect(beforeUnload(target)).toBe(false);
  });
});
