import { BLOCK_METADATA, entityPropertiesSchema, TYPE_IDS } from '@ai-blocks/block-metadata';
import { createGraphClient, saveTextOutput, type GraphModuleLike } from '@ai-blocks/persistence';
import type { Entity } from '@blockprotocol/graph';
import { expect } from '@open-wc/testing';
import { AiBlocksHostApp, previewProperties, type HostConfig } from '../../../packages/host/src/page/host-app.js';

if (!customElements.get('ai-blocks-host-app')) customElements.define('ai-blocks-host-app', AiBlocksHostApp);

const blockNames = ['ai-text', 'ai-image', 'ai-chat'] as const;

async function mountHost(
  config: Partial<Omit<HostConfig, 'mode'>> & { mode?: Partial<HostConfig['mode']> } = {},
): Promise<AiBlocksHostApp> {
  const app = new AiBlocksHostApp();
  app.config = {
    dbName: `host-test-${Math.random().toString(36).slice(2)}`,
    blocksBase: new URL('/dist/blocks/', location.href).href,
    serviceBase: new URL('/__no-service__/', location.href).href,
    ...config,
    mode: { readonly: false, hubPreview: false, temporal: false, ...config.mode },
  };
  document.body.append(app);
  await app.ready;
  return app;
}

/** Waits until `condition` holds (Block Protocol messages are asynchronous). */
async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type MountedBlock = HTMLElement & { graph?: { readonly?: boolean; blockEntitySubgraph?: { temporalAxes?: unknown } } };

function blockElement(app: AiBlocksHostApp, name: (typeof blockNames)[number]): MountedBlock {
  const element = app.slots.get(name)?.element;
  if (!element) throw new Error(`${name} not mounted`);
  return element as MountedBlock;
}

/** The text the block's shadow root shows. */
/** What a block shows: its text and the values its fields and choices hold (a preset chosen). */
function shownText(element: HTMLElement): string {
  const fields = [...(element.shadowRoot?.querySelectorAll<HTMLSelectElement>('select, textarea, input') ?? [])];
  return [element.shadowRoot?.textContent ?? '', ...fields.map((field) => field.value)].join('\n');
}

/** The block's own graph module: what the block itself would write through. */
function blockGraphModule(element: HTMLElement): GraphModuleLike {
  return (element as unknown as { graphModule: GraphModuleLike }).graphModule;
}

describe('the embedding host', () => {
  it('loads each built block the HASH way and completes the Block Protocol handshake', async () => {
    const app = await mountHost();
    for (const name of blockNames) {
      const element = blockElement(app, name);
      expect(element.localName).to.equal(BLOCK_METADATA[name].blockType.tagName);
      expect(element.shadowRoot, `${name} rendered`).to.exist;
      await until(
        () =>
          app.log.entries.some(
            (entry) => entry.block === name && entry.source === 'embedder' && entry.messageName === 'initResponse',
          ),
        `${name} initResponse`,
      );
    }
    app.remove();
  });

  it('stores what a block writes through the persistence layer, renders it, and keeps it after a reload', async () => {
    const app = await mountHost();
    const element = blockElement(app, 'ai-text');
    const client = createGraphClient(blockGraphModule(element), { timeoutMs: 5000 });
    const entity = app.store.get('ai-text-block') as Entity;
    await saveTextOutput(client, entity, {
      prompt: 'Greet the reader',
      text: 'Hello, reader!',
      provenance: { engineId: 'wasm', modelId: 'tiny', completionStatus: 'complete' },
    });
    const stored = app.store.get('ai-text-block');
    expect(stored?.properties[TYPE_IDS.property.textualContent]).to.equal('Hello, reader!');
    expect(entityPropertiesSchema('ai-text-block').safeParse(stored?.properties).success).to.equal(true);
    await until(() => shownText(element).includes('Hello, reader!'), 'the block to render the saved text');
    const dbName = app.config.dbName;
    app.remove();

    const reloaded = await mountHost({ dbName });
    expect(reloaded.store.get('ai-text-block')?.properties[TYPE_IDS.property.prompt]).to.equal('Greet the reader');
    await until(
      () => shownText(blockElement(reloaded, 'ai-text')).includes('Hello, reader!'),
      'the reloaded block to render the text',
    );
    reloaded.remove();
  });

  it('renders every block from its metadata examples in hub-preview mode: no writes, no service calls', async () => {
    const app = await mountHost({ mode: { hubPreview: true } });
    for (const name of blockNames) {
      const example = previewProperties(name);
      const someText = Object.values(example).find((value): value is string => typeof value === 'string');
      expect(someText, `${name} has a text example`).to.be.a('string');
      await until(() => shownText(blockElement(app, name)).includes(someText ?? ''), `${name} to show its example`);
    }
    // A write the block attempts is refused.
    const client = createGraphClient(blockGraphModule(blockElement(app, 'ai-text')), { timeoutMs: 5000 });
    const before = JSON.stringify(app.store.get('test-entity-ai-text'));
    const error = await saveTextOutput(client, app.store.get('test-entity-ai-text') as Entity, {
      prompt: 'x',
      text: 'y',
      provenance: {},
    }).catch((caught: unknown) => caught);
    expect((error as { code: string }).code).to.equal('FORBIDDEN');
    expect(JSON.stringify(app.store.get('test-entity-ai-text'))).to.equal(before);
    expect(app.log.serviceRequests).to.equal(0);
    app.remove();
  });

  it('passes readonly to the blocks and refuses their writes', async () => {
    const app = await mountHost({ mode: { readonly: true } });
    for (const name of blockNames) expect(blockElement(app, name).graph?.readonly).to.equal(true);
    const client = createGraphClient(blockGraphModule(blockElement(app, 'ai-text')), { timeoutMs: 5000 });
    const error = await client
      .createEntity({
        entityTypeId: TYPE_IDS.entityType['ai-chat-request-message'] as Entity['metadata']['entityTypeId'],
        properties: {},
      })
      .catch((caught: unknown) => caught);
    expect((error as { code: string }).code).to.equal('FORBIDDEN');
    expect(app.store.size).to.equal(3);
    app.remove();
  });

  it('sends HASH-style temporal subgraphs that the blocks still read', async () => {
    const app = await mountHost({ mode: { temporal: true } });
    await app.store.update({
      entityId: 'ai-text-block',
      entityTypeId: BLOCK_METADATA['ai-text'].schema,
      properties: { [TYPE_IDS.property.textualContent]: 'Temporal hello' },
    });
    app.slots.get('ai-text')?.refresh();
    const element = blockElement(app, 'ai-text');
    expect(element.graph?.blockEntitySubgraph?.temporalAxes).to.exist;
    await until(() => shownText(element).includes('Temporal hello'), 'the block to read a temporal subgraph');
    app.remove();
  });

  it('answers graph messages it does not support with NOT_IMPLEMENTED instead of hanging', async () => {
    const app = await mountHost();
    const module = blockGraphModule(blockElement(app, 'ai-chat')) as unknown as {
      getEntityType: (message: { data: unknown }) => Promise<{ errors?: { code: string }[] }>;
    };
    const answer = await module.getEntityType({ data: { entityTypeId: TYPE_IDS.entityType['ai-chat-block'] } });
    expect(answer.errors?.[0]?.code).to.equal('NOT_IMPLEMENTED');
    app.remove();
  });
});
