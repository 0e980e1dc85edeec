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
  it('keeps only ticked candidates: each file and link written once, even if a write’s answer is lost', async () => {
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

  it('revokes blob URLs of candidates replaced, discarded or detached; shows them again when attached', async () => {
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

  it('keeps a local run’s seed, steps, engine, model, size, duration with the image; reads them back', async () => {
    const { images, send, links } = await imageBlock();
    send();
    const local = {
      engineId: 'wasm',
      modelId: 'ai-blocks-tiny-diffusion',
      durationMs: 1234,
      completionStatus: 'complete' as const,
      startedAt: '2026-12-03T00:00:00.000Z',
    };
    images.offer(
      [
        { ...image(1), seed: 42 },
        { ...image(2), seed: 43 },
      ],
      {
        prompt: 'Noise',
        size: '64x64',
        steps: 4,
        provenance: local,
      },
    );
    const second = images.candidates[1];
    if (!second) throw new Error('no candidate');
    images.toggle(second);
    images.keepSelected();
    await vi.waitFor(() => {
      expect(images.saveState.status).toBe('saved');
    }, waitLong);
    const [link] = links();
    expect(link?.properties).toMatchObject({
      [TYPE_IDS.property['image-seed']]: 43,
      [TYPE_IDS.property['image-steps']]: 4,
      [TYPE_IDS.property['image-size']]: '64x64',
      [TYPE_IDS.property['engine-id']]: 'wasm',
      [TYPE_IDS.property['model-id']]: 'ai-blocks-tiny-diffusion',
      [TYPE_IDS.property['duration-ms']]: 1234,
    });
    send();
    expect(images.kept).toHaveLength(1);
    expect(images.kept[0]).toMatchObject({ seed: 43, steps: 4, size: '64x64' });
    expect(images.kept[0]?.provenance).toMatchObject({ engineId: 'wasm', durationMs: 1234 });
  });

  it('keeps the model the service says made an image; the one asked for when it names none', async () => {
    const { images, send, links } = await imageBlock();
    send();
    images.offer([{ ...image(1), modelId: 'dall-e-3-2025-hd' }, image(2)], {
      prompt: 'Two',
      size: '1024x1024',
      provenance: { ...provenance, modelId: 'dall-e-3' },
    });
    expect(images.candidates.map((candidate) => candidate.provenance.modelId)).toEqual([
      'dall-e-3-2025-hd',
      'dall-e-3',
    ]);
    for (const candidate of images.candidates) images.toggle(candidate);
    images.keepSelected();
    await vi.waitFor(() => {
      expect(images.saveState.status).toBe('saved');
    }, waitLong);
    expect(links().map((link) => link.properties[TYPE_IDS.property['model-id']])).toEqual([
      'dall-e-3-2025-hd',
      'dall-e-3',
    ]);
    send();
    expect(images.kept.map((kept) => kept.provenance.modelId)).toEqual(['dall-e-3-2025-hd', 'dall-e-3']);
  });

  it('reads hostile seed and steps as absent, and keeps the image readable', async () => {
    const { images, send, links, fake } = await imageBlock();
    send();
    images.offer([{ ...image(1), seed: 7 }], { prompt: 'Odd', size: '64x64', steps: 2, provenance });
    const [candidate] = images.candidates;
    if (!candidate) throw new Error('no candidate');
    images.toggle(candidate);
    images.keepSelected();
    await vi.waitFor(() => {
      expect(images.saveState.status).toBe('saved');
    }, waitLong);
    for (const [seed, steps] of [
      ['7', '2'],
      [-1, 0],
      [1.5, 2 ** 60],
    ] as const) {
      const link = links()[0];
      if (!link?.linkData) throw new Error('no link');
      await fake.store.update({
        entityId: link.metadata.recordId.entityId,
        entityTypeId: link.metadata.entityTypeId,
        properties: {
          ...link.properties,
          [TYPE_IDS.property['image-seed']]: seed,
          [TYPE_IDS.property['image-steps']]: steps,
        },
      });
      send();
      expect(images.kept).toHaveLength(1);
      expect(images.kept[0]?.prompt).toBe('Odd');
      expect(images.kept[0]?.seed).toBeUndefined();
      expect(images.kept[0]?.steps).toBeUndefined();
    }
  });

  it('shows denoising steps as they come, never going back, and stops between them', async () => {
    const element = new FakeElement();
    element.connect();
    const imageRun = new ImageRunController<ReturnType<typeof image>, undefined>(element);
    const seen: (number | undefined)[] = [];
    const finished = await imageRun.run(
      () => ({ engineId: 'wasm', modelId: 'ai-blocks-tiny-diffusion' }),
      (_engine, _signal, onStep) => {
        for (const step of [1, 2, 1, 3]) {
          onStep({ step, totalSteps: 3 });
          seen.push(imageRun.render({ running: (_seconds, shown) => shown?.step }));
        }
        return Promise.resolve({ status: 'complete' as const, images: [image(1)] });
      },
      { meta: undefined },
    );
    expect(seen).toEqual([1, 2, 2, 3]);
    expect(finished?.provenance).toMatchObject({ engineId: 'wasm', modelId: 'ai-blocks-tiny-diffusion' });
    let stepsDone = 0;
    const stopping = imageRun.run(
      () => ({ engineId: 'wasm', modelId: 'ai-blocks-tiny-diffusion' }),
      async (_engine, signal, onStep) => {
        for (let step = 1; step <= 8; step += 1) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (signal.aborted) return { status: 'aborted', images: [] };
          stepsDone = step;
          onStep({ step, totalSteps: 8 });
          if (step === 2) imageRun.stop();
        }
        return { status: 'complete', images: [image(2)] };
      },
      { meta: undefined },
    );
    await stopping;
    expect(imageRun.status).toBe(ImageRunStatus.ABORTED);
    expect(stepsDone).toBe(2);
  });
});
