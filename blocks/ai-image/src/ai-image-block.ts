import { BlockElementBase } from '@blockprotocol/graph/custom-element';
import { css, html } from 'lit';

/**
 * The AI Image block.
 *
 * @summary Renders the block entity's stored properties (the full block lands with its issue).
 */
export class AiImageBlock extends BlockElementBase {
  static override styles = css`
    :host {
      display: block;
      font: var(--ai-block-font, 14px/1.5 system-ui, sans-serif);
    }
  `;

  override render() {
    // The embedder may not have set `graph` yet (or at all, on a bare page).
    const graph = this.graph as typeof this.graph | undefined;
    const entity = graph ? this.getBlockEntity() : undefined;
    const properties = Object.entries(entity?.properties ?? {});
    return html`<section aria-label="AI Image">
      <h2 part="title">AI Image</h2>
      ${properties.length === 0
        ? html`<p part="empty">Nothing saved yet.</p>`
        : html`<dl part="properties">
            ${properties.map(
              ([key, value]) =>
                html`<dt>${key}</dt>
                  <dd>${JSON.stringify(value)}</dd>`,
            )}
          </dl>`}
    </section>`;
  }
}
