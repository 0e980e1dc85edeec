import { TYPE_IDS } from '@ai-blocks/block-metadata';
import { readTextBlock } from '@ai-blocks/persistence';
import type { EntityPropertiesObject } from '@blockprotocol/graph';
import { describe, expect, it, vi } from 'vitest';
import { TextOutputController } from '../../../blocks/ai-text/src/text-output.js';
import { FakeElement } from '../../helpers/fake-element.js';
import { FakeGraphModule } from '../../helpers/fake-graph-module.js';

const provenance = {
  engineId: 'wasm',
  modelId: 'tiny',
  outputTokens: 3,
  durationMs: 10,
  completionStatus: 'complete' as const,
  startedAt: '2026-12-03T00:00:00.000Z',
};

/** AI Text's state on a fake element, embedded in a fake host with one AI Text block entity. */
async function textBlock(properties: EntityPropertiesObject = {}, busy = () => false) {
  const fake = new FakeGraphModule();
  const entity = await fake.store.create({ entityTypeId: TYPE_IDS.entityType['ai-text-block'], properties });
  const entityId = entity.metadata.recordId.entityId;
  const element = new FakeElement();
  const output = new TextOutputController(element, element.access, busy);
  element.connect();
  /** The host sends the block entity as it is in the store now. */
  const send = (extra: { readonly?: boolean } = {}) => {
    element.graph = { blockEntitySubgraph: fake.store.subgraph([entityId]), ...extra };
    element.graphModule = fake.module;
    element.update();
  };
  const stored = () => readTextBlock(fake.store.get(entityId));
  return { fake, output, send, stored };
}

describe('AI Text state', () => {
  it('opens on the kept text with its prompt and settings, or on the prompt form when there is none', async () => {
    const empty = await textBlock();
    empty.send();
    expect(empty.output.mode).toBe('compose');
    const kept = await textBlock({
      [TYPE_IDS.property.prompt]: 'Say hi',
      [TYPE_IDS.property.textualContent]: 'Hi',
      [TYPE_IDS.property['system-prompt']]: 'Be brief',
      [TYPE_IDS.property.temperature]: 0.2,
    });
    kept.send();
    expect(kept.output.mode).toBe('view');
    expect(kept.output.view.text).toBe('Hi');
    expect(kept.output.prompt).toBe('Say hi');
    expect(kept.output.system).toBe('Be brief');
    expect(kept.output.temperature).toBe(0.2);
  });

  it('keeps a run: shown at once, written once with the settings it ran with', async () => {
    const { output, send, stored, fake } = await textBlock();
    send();
    output.set('systemPrompt', '  Answer in French ');
    output.setSampling({ temperature: 1.1 });
    output.keep({ prompt: 'Say hi', text: 'Salut', provenance });
    expect(output.mode).toBe('view');
    expect(output.view.text).toBe('Salut');
    await vi.waitFor(() => {
      expect(output.saveState.status).toBe('saved');
    });
    expect(stored()).toMatchObject({
      prompt: 'Say hi',
      text: 'Salut',
      systemPrompt: 'Answer in French',
      temperature: 1.1,
      provenance: { engineId: 'wasm', modelId: 'tiny' },
    });
    expect(fake.writes()).toHaveLength(1);
  });

  it('edits the kept text and keeps its prompt and provenance', async () => {
    const { output, send, stored } = await textBlock({
      [TYPE_IDS.property.prompt]: 'Say hi',
      [TYPE_IDS.property.textualContent]: 'Hi',
    });
    send();
    output.edit();
    expect(output.draftText).toBe('Hi');
    output.set('draftText', 'Hello there');
    output.saveEdit();
    await vi.waitFor(() => {
      expect(stored().text).toBe('Hello there');
    });
    expect(stored().prompt).toBe('Say hi');
    expect(output.mode).toBe('view');
  });

  it('text edited by hand keeps its model credit, marked edited by a person; an unchanged edit is not', async () => {
    const { output, send, stored } = await textBlock({
      [TYPE_IDS.property.textualContent]: 'Hi',
      [TYPE_IDS.property['engine-id']]: 'wasm',
      [TYPE_IDS.property['model-id']]: 'tiny',
    });
    send();
    output.edit();
    output.saveEdit();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stored().provenance.editedAt).toBeUndefined();
    output.edit();
    output.set('draftText', 'Hello, changed by me');
    output.saveEdit();
    expect(output.view.provenance.editedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await vi.waitFor(() => {
      expect(stored().provenance).toMatchObject({ engineId: 'wasm', modelId: 'tiny' });
      expect(stored().provenance.editedAt).toBe(output.view.provenance.editedAt);
    });
  });

  it('does not let the graph switch the view away from the editor or a running generation', async () => {
    let busy = false;
    const { output, send, fake } = await textBlock({ [TYPE_IDS.property.textualContent]: 'Old' }, () => busy);
    send();
    output.edit();
    const [record] = fake.store.all();
    if (!record) throw new Error('no entity');
    const change = (text: string) =>
      fake.store.update({
        entityId: record.entity.metadata.recordId.entityId,
        entityTypeId: record.entity.metadata.entityTypeId,
        properties: { [TYPE_IDS.property.textualContent]: text },
      });
    await change('Changed elsewhere');
    send();
    expect(output.mode).toBe('edit');
    expect(output.view.text).toBe('Changed elsewhere');
    output.cancelEdit();
    output.regenerate();
    busy = true;
    await change('Again');
    send();
    expect(output.mode).toBe('compose');
  });

  it('writes nothing on a read-only page and says so', async () => {
    const { output, send, fake } = await textBlock();
    send({ readonly: true });
    output.keep({ prompt: 'p', text: 't', provenance });
    await vi.waitFor(() => {
      expect(output.saveState.status).toBe('readonly');
    });
    expect(fake.writes()).toHaveLength(0);
  });
});
