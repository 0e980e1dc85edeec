import { TYPE_IDS } from '@ai-blocks/block-metadata';
import {
  appendChatTurn,
  ChatTurnQueue,
  createGraphClient,
  readChatTree,
  rootEntity,
  type ChatSaveState,
} from '@ai-blocks/persistence';
import type { Entity } from '@blockprotocol/graph';
import { describe, expect, it } from 'vitest';
import { FakeGraphModule } from '../../helpers/fake-graph-module.js';

const ids = TYPE_IDS;

function setup() {
  const fake = new FakeGraphModule();
  const states: ChatSaveState[] = [];
  let block: Entity | undefined;
  const queue = new ChatTurnQueue({
    write: (turn) => appendChatTurn(createGraphClient(fake.module), { blockEntity: block as Entity, ...turn }),
    resolveKey: () => undefined,
    onChange: (state) => states.push(state),
    initialDelayMs: 1,
  });
  const init = async () => {
    block = await fake.store.create({ entityTypeId: ids.entityType['ai-chat-block'], properties: {} });
  };
  const tree = () => {
    const subgraph = fake.store.subgraph([block?.metadata.recordId.entityId ?? '']);
    return readChatTree(subgraph, rootEntity(subgraph));
  };
  const count = (typeId: string) =>
    fake.store.all().filter(({ entity }) => entity.metadata.entityTypeId === typeId).length;
  return { fake, queue, states, init, tree, count };
}

const response = (clientId: string, text: string) => ({
  clientId,
  text,
  provenance: { engineId: 'wasm', completionStatus: 'complete' as const },
});

describe('ChatTurnQueue', () => {
  it('writes turns in order, linking a turn to a response that was still queued when it was added', async () => {
    const { queue, init, tree, states } = setup();
    await init();
    queue.enqueue({
      request: { clientId: 'q1', text: 'one', afterResponseKey: undefined },
      response: response('a1', 'A'),
    });
    queue.enqueue({ request: { clientId: 'q2', text: 'two', afterResponseKey: 'a1' }, response: response('a2', 'B') });
    queue.enqueue({ request: { existingRequestKey: 'q2' }, response: response('a2b', 'B again') });
    await queue.settled();
    const read = tree();
    const texts = (id: string | undefined): string[] => {
      const node = read.messages.get(id ?? '');
      return node
        ? [
            node.text,
            ...node.childIds.flatMap((child, index) =>
              index === 0 ? texts(child) : [`[branch] ${read.messages.get(child)?.text ?? ''}`],
            ),
          ]
        : [];
    };
    expect(texts(read.rootIds[0])).toEqual(['one', 'A', 'two', 'B', '[branch] B again']);
    expect(states.at(-1)).toMatchObject({ status: 'saved', pending: 0 });
  });

  it('retries a write that landed but answered with an error, without duplicating messages or links', async () => {
    const { fake, queue, init, count, states } = setup();
    await init();
    fake.fail(
      'createEntity',
      { kind: 'late', ms: 0 },
      { kind: 'error', code: 'INTERNAL_ERROR', message: 'disk hiccup' },
    );
    queue.enqueue({
      request: { clientId: 'q1', text: 'one', afterResponseKey: undefined },
      response: response('a1', 'A'),
    });
    while (queue.state.status !== 'saved') await new Promise((resolve) => setTimeout(resolve, 5));
    expect(states.some((state) => state.status === 'unsaved' && state.pending === 1)).toBe(true);
    expect(count(ids.entityType['ai-chat-request-message'])).toBe(1);
    expect(count(ids.entityType['ai-chat-response-message'])).toBe(1);
    expect(count(ids.entityType['rooted-at'])).toBe(1);
    expect(count(ids.entityType['has-response'])).toBe(1);
    expect(count(ids.entityType['has-message'])).toBe(2);
  });

  it('stops at a read-only page without retrying', async () => {
    let writes = 0;
    const readonlyQueue = new ChatTurnQueue({
      write: () => {
        writes += 1;
        return Promise.reject(Object.assign(new Error('read-only'), { name: 'GraphError', code: 'READONLY' }));
      },
      resolveKey: () => undefined,
    });
    readonlyQueue.enqueue({
      request: { clientId: 'q1', text: 'one', afterResponseKey: undefined },
      response: response('a1', 'A'),
    });
    await readonlyQueue.settled();
    expect(readonlyQueue.state).toMatchObject({ status: 'readonly', pending: 1 });
    expect(readonlyQueue.state.nextRetryAt).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writes).toBe(1);
  });
});
