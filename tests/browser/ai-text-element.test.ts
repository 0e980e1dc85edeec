import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Entity } from '@blockprotocol/graph';
import { buildSubgraph } from '@blockprotocol/graph/stdlib';
import AiTextBlock from '@ai-blocks/block-ai-text';
import { TYPE_IDS } from '@ai-blocks/block-metadata';

customElements.define('test-ai-text-block', AiTextBlock);
// The Markdown renderer loads from the runtime assets (as on a page that embeds the block).
(globalThis as { AI_BLOCKS_ASSET_BASE_URL?: string }).AI_BLOCKS_ASSET_BASE_URL = new URL(
  '/dist/runtime-assets/',
  location.href,
).href;

const entity: Entity = {
  metadata: {
    recordId: { entityId: 'block-1', editionId: '1' },
    entityTypeId: TYPE_IDS.entityType['ai-text-block'] as Entity['metadata']['entityTypeId'],
  },
  properties: {
    [TYPE_IDS.property.textualContent]: 'Hello from the **graph**',
    [TYPE_IDS.property.prompt]: 'Say hello',
  },
};

describe('AI Text block element (standalone, graph set by hand)', () => {
  it('renders the block entity it was given', async () => {
    const el = await fixture<InstanceType<typeof AiTextBlock>>(html`<test-ai-text-block></test-ai-text-block>`);
    // Nothing saved yet: the composer is shown.
    expect(el.shadowRoot?.querySelector('#prompt')).to.exist;
    el.graph = {
      blockEntitySubgraph: buildSubgraph(
        { entities: [entity], dataTypes: [], propertyTypes: [], entityTypes: [] },
        [entity.metadata.recordId],
        {
          hasLeftEntity: { incoming: 0, outgoing: 0 },
          hasRightEntity: { incoming: 0, outgoing: 0 },
          constrainsLinkDestinationsOn: { outgoing: 0 },
          constrainsLinksOn: { outgoing: 0 },
          constrainsPropertiesOn: { outgoing: 0 },
          constrainsValuesOn: { outgoing: 0 },
          inheritsFrom: { outgoing: 0 },
          isOfType: { outgoing: 0 },
        },
      ),
    };
    await el.updateComplete;
    // Plain text at once, Markdown once the renderer has loaded.
    expect(el.shadowRoot?.querySelector('.kept')?.textContent).to.contain('Hello from the');
    await waitUntil(() => el.shadowRoot?.querySelector('.kept strong') !== null, 'the Markdown renderer to load');
    expect(el.shadowRoot?.querySelector('.kept strong')?.textContent).to.equal('graph');
    expect(el.shadowRoot?.querySelector('.prompt-line')?.textContent).to.contain('Say hello');
  });
});
