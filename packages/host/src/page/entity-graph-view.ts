import type { Entity } from '@blockprotocol/graph';
import { html, svg, type TemplateResult } from 'lit';

/** A short, readable label for a type URL: its slug and version. */
export function typeLabel(entityTypeId: string): string {
  const match = /\/entity-type\/([^/]+)\/v\/(\d+)$/.exec(entityTypeId);
  return match ? `${match[1] ?? ''} v${match[2] ?? ''}` : entityTypeId;
}

/**
 * The entities the blocks persisted and the links between them, drawn as a graph: entities
 * on a circle, each link entity an arrow from its left to its right entity.
 */
export function renderEntityGraph(entities: Entity[]): TemplateResult {
  const nodes = entities.filter((entity) => !entity.linkData);
  const links = entities.filter((entity) => entity.linkData);
  const size = 360;
  const radius = size / 2 - 40;
  const position = new Map(
    nodes.map((entity, index) => {
      const angle = (index / Math.max(nodes.length, 1)) * 2 * Math.PI - Math.PI / 2;
      return [
        entity.metadata.recordId.entityId,
        { x: size / 2 + radius * Math.cos(angle), y: size / 2 + radius * Math.sin(angle) },
      ];
    }),
  );
  return html`<svg
    class="entity-graph"
    viewBox="0 0 ${size} ${size}"
    role="img"
    aria-label="Graph of ${nodes.length} entities and ${links.length} links"
  >
    <defs>
      <marker
        id="arrow"
        viewBox="0 0 10 10"
        refX="9"
        refY="5"
        markerWidth="6"
        markerHeight="6"
        orient="auto-start-reverse"
      >
        <path d="M0,0 L10,5 L0,10 z" fill="currentColor"></path>
      </marker>
    </defs>
    ${links.map((link) => {
      const from = position.get(link.linkData?.leftEntityId ?? '');
      const to = position.get(link.linkData?.rightEntityId ?? '');
      if (!from || !to) return svg``;
      return svg`<line
        x1=${from.x}
        y1=${from.y}
        x2=${to.x}
        y2=${to.y}
        stroke="currentColor"
        stroke-opacity="0.5"
        marker-end="url(#arrow)"
      ><title>${typeLabel(link.metadata.entityTypeId)}</title></line>`;
    })}
    ${nodes.map((entity) => {
      const point = position.get(entity.metadata.recordId.entityId) ?? { x: 0, y: 0 };
      const type = typeLabel(entity.metadata.entityTypeId);
      const title = `${type} ${entity.metadata.recordId.entityId}`;
      return svg`<g><circle cx=${point.x} cy=${point.y} r="9" fill="#4b3fd1"><title>${title}</title></circle>
        <text x=${point.x} y=${point.y + 22} text-anchor="middle" font-size="9">${type}</text></g>`;
    })}
  </svg>`;
}

/** A property value short enough for the panel (data: URLs and long text are cut). */
export function displayValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text.startsWith('data:')) return `${text.slice(0, 40)}… (${text.length} characters)`;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
