import { resolveObjectURL } from 'node:buffer';
import { BP, TYPE_IDS } from '@ai-blocks/block-metadata';
import type { EntityPropertiesObject } from '@blockprotocol/graph';
import type { HostFaults } from '../../../packages/host/src/store/graph-callbacks.js';
import { ImageRunController, ImageRunStatus } from '@ai-blocks/ui';
import { describe, expect, it, vi } from 'vitest';
import { ImageCandidatesController } from '../../../blocks/ai-image/src/image-candidates.js';
import { FakeElement } from '../../helpers/fake-element.js';
import { FakeGraphModule } from '../../helpers/fake-graph-module.js';

const provenance = {
  engineId: 'openai-compatible',
  modelId: 'dall-e-2',
  durationMs: 10,
  completionStatus: 'complete' as const,
  startedAt: '2026-12-03T00:00:00.000Z',
};
const image = (byte: number) => ({ bytes: new Uint8Array([137, 80, 78, 71, byte]), mediaType: 'image/png' });
const waitLong = { timeout: 5000 };

/** AI Image's state on a fake element, embedded in a fake host with one AI Image block entity. */
async function imageBlock(options: { properties?: EntityPropertiesObject; faults?: HostFaults } = {}) {
  const fake = new FakeGraphModule(options.faults);
  const entity = await fake.store.create({
    entityTypeId: TYPE_IDS.entityType['ai-image-block'],
    properties: options.properties ?? {},
  });
  const blockId = entity.metadata.recordId.entityId;
  const element = new FakeElement();
  const images = new ImageCandidatesController(element, element.access);
  element.connect();
  /** The host sends the block's subgraph as it is in the store now. */
  const send = (extra: { readonly?: boolean } = {}) => {
    element.graph = { blockEntitySubgraph: fake.store.subgraph([blockId]), ...extra };
    element.graphModule = fake.module;
    element.update();
  };
  const ofType = (typeId: string) =>
    fake.store
      .all()
      .filter((record) => record.entity.metadata.entityTypeId === typeId)
      .map((record) => record.entity);
  const files = () => ofType(BP.entityType.remoteFile);
  const links = () => ofType(TYPE_IDS.entityType['generated-image']);
  return { fake, element, images, send, files, links, blockId };
}

describe('AI Image state', () => {
  it('keeps only the ticked candidates: each file and link written once, also when a write’s answer is lost', async () => {
    // The first link is written but its answer says it failed: the retry must find it, not write it again.
    const { images, send, files, links, blockId } = await imageBlock({
      faults: { next: { createEntity: [{ kind: 'error-after-write', code: 'INTERNAL_ERROR' }] } },
    });
    send();
    images.offer([image(1), image(2), image(3)], { prompt: 'A gradient', size: '256x256', quality: 'hd', provenance });
    const [first, , third] = images.candidates;
    if (!first || !third) throw new Error('no candidates');
    images.toggle(first);
    images.toggle(third);
    images.keepSelected();
    expect(images.candidates).toEqual([]);
    await vi.waitFor(() => {
      expect(images.saveState.status).toBe('saved');
    }, waitLong);
    expect(files()).toHaveLength(2);
    expect(links()).toHaveLength(2);
    expect(images.pending).toBe(0);
    for (const link of links()) {
      expect(link.linkData?.leftEntityId).toBe(blockId);
      expect(link.properties[TYPE_IDS.property.prompt]).toBe('A gradient');
      expect(link.properties[TYPE_IDS.property['image-size']]).toBe('256x256');
    }
    // The host sends the new subgraph: the kept images are read back from it.
    send();
    expect(images.kept.map((kept) => kept.prompt)).toEqual(['A gradient', 'A gradient']);
    expect(new Set(images.kept.map((kept) => kept.fileEntityId))).toEqual(
      new Set(files().map((file) => file.metadata.recordId.entityId)),
    );
  });

  it('writes nothing on a read-only page', async () => {
    const { images, send, fake } = await imageBlock();
    send({ readonly: true });
    images.offer([image(1)], { prompt: 'p', size: '256x256', provenance });
    const [candidate] = images.candidates;
    if (!candidate) throw new Error('no candidate');
    images.toggle(candidate);
    images.keepSelected();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.writes()).toHaveLength(0);
    expect(images.pending).toBe(0);
  });

  it('carries on saving when the element is attached again, without writing anything twice', async () => {
    const { images, element, send, files, links, fake } = await imageBlock({
      faults: { next: { uploadFile: [{ kind: 'error', code: 'INTERNAL_ERROR' }] } },
    });
    send();
    images.offer([image(1), image(2)], { prompt: 'Moved', size: '256x256', provenance });
    for (const candidate of images.candidates) images.toggle(candidate);
    images.keepSelected();
    await vi.waitFor(() => {
      expect(images.saveState.status).toBe('unsaved');
    });
    // Detached before the retry: nothing is retried while away.
    element.disconnect();
    const callsWhileAway = fake.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(fake.calls.length).toBe(callsWhileAway);
    element.connect();
    await vi.waitFor(() => {
      expect(images.saveState.status).toBe('saved');
    }, waitLong);
    expect([files().length, links().length]).toEqual([2, 2]);
  });

  it('restores the kept images and the last prompt from the graph', async () => {
    const { images, send, fake, blockId } = await imageBlock({
      properties: { [TYPE_IDS.property.prompt]: 'A lighthouse' },
    });
    const file = await fake.store.create({
      entityTypeId: BP.entityType.remoteFile,
      properties: {
        [BP.property.fileUrl]: 'https://example.com/a.png',
        [BP.property.fileName]: 'a.png',
        [BP.property.mimeType]: 'image/png',
      },
    });
    await fake.store.create({
      entityTypeId: TYPE_IDS.entityType['generated-image'],
      properties: { [TYPE_IDS.property.prompt]: 'A lighthouse', [TYPE_IDS.property['image-size']]: '512x512' },
      linkData: { leftEntityId: blockId, rightEntityId: file.metadata.recordId.entityId },
    });
    send();
    expect(images.kept).toMatchObject([
      { url: 'https://example.com/a.png', prompt: 'A lighthouse', size: '512x512', fileName: 'a.png' },
    ]);
    expect(images.prompt).toBe('A lighthouse');
    expect(images.promptFromGraph).toBe(true);
    images.setPrompt('A boat');
    expect(images.promptFromGraph).toBe(false);
  });

  it('revokes the blob URLs of candidates that are replaced, discarded or detached, and shows them again when attached', async () => {
    const { images, element, send } = await imageBlock();
    send();
    images.offer([image(1)], { prompt: 'one', size: '256x256', provenance });
    const firstUrl = images.candidates[0]?.url ?? '';
    expect(resolveObjectURL(firstUrl)).toBeDefined();
    images.offer([image(2)], { prompt: 'two', size: '256x256', provenance });
    expect(resolveObjectURL(firstUrl)).toBeUndefined();
    const secondUrl = images.candidates[0]?.url ?? '';
    element.disconnect();
    expect(resolveObjectURL(secondUrl)).toBeUndefined();
    element.connect();
    const shownAgain = images.candidates[0]?.url ?? '';
    expect(resolveObjectURL(shownAgain)).toBeDefined();
    images.discardAll();
    expect(resolveObjectURL(shownAgain)).toBeUndefined();
  });

  it('offers what an image run made; a stopped run or one without an engine offers nothing', async () => {
    const { images, element, send } = await imageBlock();
    send();
    const imageRun = new ImageRunController<ReturnType<typeof image>, { prompt: string; size: string }>(element);
    const engine = { engineId: 'openai-compatible', modelId: 'dall-e-2' };
    const finished = await imageRun.run(
      () => engine,
      () => Promise.resolve({ status: 'complete' as const, images: [image(1), image(2)] }),
      { meta: { prompt: 'Run', size: '256x256' } },
    );
    expect(imageRun.status).toBe(ImageRunStatus.COMPLETE);
    if (finished?.outcome.status === 'complete')
      images.offer(finished.outcome.images, { ...finished.meta, provenance: finished.provenance });
    expect(images.candidates).toHaveLength(2);
    expect(images.run?.provenance).toMatchObject({
      engineId: 'openai-compatible',
      modelId: 'dall-e-2',
      completionStatus: 'complete',
    });
    // Stop while waiting: the run ends aborted, not as an error.
    const stopped = imageRun.run(
      () => engine,
      (_engine, signal) =>
        new Promise((resolve) =>
          signal.addEventListener('abort', () => {
            resolve({ status: 'aborted', images: [] });
          }),
        ),
      { meta: { prompt: 'Stop', size: '256x256' } },
    );
    expect(imageRun.busy).toBe(true);
    imageRun.stop();
    expect((await stopped)?.outcome.status).toBe('aborted');
    expect(imageRun.status).toBe(ImageRunStatus.ABORTED);
    const failed = await imageRun.run(
      () => {
        throw Object.assign(new Error('No image API is set up.'), { code: 'ENGINE_UNAVAILABLE' });
      },
      () => Promise.reject(new Error('not reached')),
      { meta: { prompt: 'x', size: '256x256' } },
    );
    expect(failed).toBeUndefined();
    expect(imageRun.status).toBe(ImageRunStatus.ERROR);
    expect(imageRun.outcome?.error).toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: 'No image API is set up.' });
  });
});
