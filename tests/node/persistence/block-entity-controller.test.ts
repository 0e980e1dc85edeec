import { TYPE_IDS } from '@ai-blocks/block-metadata';
import { BlockEntityController, readTextBlock, saveTextOutput, type TextOutput } from '@ai-blocks/persistence';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeElement } from '../../helpers/fake-element.js';
import { FakeGraphModule } from '../../helpers/fake-graph-module.js';

const output = (text: string): TextOutput => ({
  prompt: 'Say hi',
  text,
  provenance: {
    engineId: 'wasm',
    modelId: 'tiny',
    inputTokens: 1,
    outputTokens: 1,
    durationMs: 1,
    completionStatus: 'complete',
    startedAt: '2026-12-03T00:00:00.000Z',
  },
});

async function embedded(fake = new FakeGraphModule()) {
  const entity = await fake.store.create({ entityTypeId: TYPE_IDS.entityType['ai-text-block'], properties: {} });
  const element = new FakeElement();
  const send = () => {
    element.graph = { blockEntitySubgraph: fake.store.subgraph([entity.metadata.recordId.entityId]) };
    element.graphModule = fake.module;
    element.update();
  };
  return { fake, entity, element, send };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BlockEntityController', () => {
  it('reports a change of the block entity once, not when the host sends the same data again', async () => {
    const { element, send, fake, entity } = await embedded();
    const seen: (string | undefined)[] = [];
    const entities = new BlockEntityController(element, element.access, {
      onChange: (_subgraph, blockEntity) => seen.push(readTextBlock(blockEntity).text),
    });
    element.connect();
    send();
    send();
    expect(seen).toEqual(['']);
    await saveTextOutput(entities.client(), entity, output('Hello'));
    send();
    expect(seen).toEqual(['', 'Hello']);
    expect(entities.blockEntity?.metadata.recordId.entityId).toBe(entity.metadata.recordId.entityId);
    expect(fake.writes()).toHaveLength(1);
  });

  it('writes through its savers with the block entity, and says "no page" before an embedder answers', async () => {
    const { element, send, fake } = await embedded();
    const entities = new BlockEntityController(element, element.access, { watch: 'entity' });
    const saver = entities.saver<TextOutput>((value, { client, blockEntity }) =>
      saveTextOutput(client, blockEntity, value).then(() => undefined),
    );
    element.connect();
    const before = await saver.save(output('Too early'));
    expect(before.status).toBe('offline');
    send();
    const after = await saver.save(output('Now'));
    expect(after.status).toBe('saved');
    expect(fake.writes()).toHaveLength(1);
    expect(element.updatesRequested).toBeGreaterThan(0);
  });

  it('refuses writes on a read-only page without asking the host', async () => {
    const { element, send, fake } = await embedded();
    const entities = new BlockEntityController(element, element.access);
    const saver = entities.saver<TextOutput>((value, { client, blockEntity }) =>
      saveTextOutput(client, blockEntity, value).then(() => undefined),
    );
    element.connect();
    send();
    element.graph = { ...element.graph, readonly: true };
    element.update();
    expect(entities.readonly).toBe(true);
    expect((await saver.save(output('No'))).status).toBe('readonly');
    expect(fake.writes()).toHaveLength(0);
  });

  it('pauses its savers when detached and writes what was left when attached again', async () => {
    const { element, send, fake } = await embedded();
    fake.fail('updateEntity', { kind: 'error', code: 'INTERNAL_ERROR' });
    const entities = new BlockEntityController(element, element.access);
    const saver = entities.saver<TextOutput>(
      (value, { client, blockEntity }) => saveTextOutput(client, blockEntity, value).then(() => undefined),
      { initialDelayMs: 60_000 },
    );
    element.connect();
    send();
    void saver.save(output('Kept'));
    await vi.waitFor(() => {
      expect(saver.state.status).toBe('unsaved');
    });
    expect(entities.hasUnsaved).toBe(true);
    element.disconnect();
    expect(saver.state.nextRetryAt).toBeUndefined();
    element.connect();
    await vi.waitFor(() => {
      expect(saver.state.status).toBe('saved');
    });
    expect(readTextBlock(fake.store.all()[0]?.entity).text).toBe('Kept');
  });

  it('says the block stands alone when no embedder answers in time', () => {
    vi.useFakeTimers();
    const element = new FakeElement();
    const entities = new BlockEntityController(element, element.access, { embedderTimeoutMs: 1000 });
    element.connect();
    vi.advanceTimersByTime(999);
    expect(entities.standalone).toBe(false);
    vi.advanceTimersByTime(1);
    expect(entities.standalone).toBe(true);
    expect(element.updatesRequested).toBe(1);
  });
});
