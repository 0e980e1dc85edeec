import { BLOCK_METADATA, type BlockName } from '@ai-blocks/block-metadata';
import { css, html, LitElement, nothing } from 'lit';
import { EntityStore } from '../store/entity-store.js';
import type { HostFaults } from '../store/graph-callbacks.js';
import { BlockSlot, type HostMode } from './block-slot.js';
import { displayValue, renderEntityGraph, typeLabel } from './entity-graph-view.js';
import { openIndexedDbPersistence } from './idb-persistence.js';
import { isolationReport } from './isolation-report.js';
import { loadBlock } from './load-block.js';
import { MessageLog } from './message-log.js';

const BLOCK_NAMES: BlockName[] = ['ai-text', 'ai-image', 'ai-chat'];

/** Reads the host's mode from the page URL, so a reload keeps it and tests can open any mode. */
export function modeFromUrl(url: URL): HostMode {
  const flag = (name: string) => url.searchParams.get(name) === '1';
  return { readonly: flag('readonly'), hubPreview: flag('preview'), temporal: flag('temporal') };
}

/** Where the host finds things; read from the page URL unless given. */
export interface HostConfig {
  mode: HostMode;
  /** IndexedDB database name (tests use their own). */
  dbName: string;
  /** Where the built blocks are: `<blocksBase><block>/block-metadata.json`. */
  blocksBase: string;
  /** Where POST <serviceBase><method> answers service-module calls. */
  serviceBase: string;
  /** How badly the host answers graph messages (tests of sloppy hosts); a well-behaved host without it. */
  faults?: HostFaults;
}

/**
 * `?blocks=` may name another origin: loadBlock runs code only from the page's own origin and
 * the server's allow-list, and the page says so otherwise. An unparsable value is kept as given,
 * so the page reports it instead of failing to construct.
 */
function blocksBaseFrom(url: URL): string {
  const blocks = url.searchParams.get('blocks') ?? '/blocks/';
  return URL.canParse(blocks, url) ? new URL(blocks, url).href : blocks;
}

export function configFromUrl(url: URL): HostConfig {
  return {
    mode: modeFromUrl(url),
    dbName: url.searchParams.get('db') ?? 'ai-blocks-host',
    blocksBase: blocksBaseFrom(url),
    serviceBase: new URL('/api/service/', url).href,
  };
}

/** Properties the hub preview gave a block: the first variant's example, else the metadata's first example. */
export function previewProperties(name: BlockName): Record<string, unknown> {
  const metadata = BLOCK_METADATA[name];
  const variant = metadata.variants[0];
  return (
    variant?.examples[0] ??
    (Object.keys(variant?.properties ?? {}).length ? (variant?.properties ?? {}) : (metadata.examples[0] ?? {}))
  );
}

/**
 * The embedding host: loads the three built blocks the way HASH does, keeps what they write
 * in an IndexedDB-backed store, answers their graph and service messages, and shows what
 * they persisted.
 */
export class AiBlocksHostApp extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(18rem, 26rem);
      gap: 1.5rem;
      font:
        15px/1.5 system-ui,
        sans-serif;
      /* The page's colours (light or dark), so the blocks are seen as on any host page. */
      color: inherit;
    }
    /* A phone: the blocks first, what they saved below them. */
    @media (max-width: 48rem) {
      :host {
        grid-template-columns: minmax(0, 1fr);
      }
    }
    header {
      grid-column: 1 / -1;
      display: flex;
      flex-wrap: wrap;
      gap: 1rem;
      align-items: center;
    }
    h1 {
      font-size: 1.4rem;
      margin: 0 1rem 0 0;
    }
    .block-section {
      border: 1px solid #d5d5e0;
      border-radius: 10px;
      padding: 1rem;
      margin-bottom: 1rem;
      min-width: 0;
    }
    .block-section h2 {
      font-size: 0.85rem;
      text-transform: uppercase;
      letter-spacing: 0.05em;
      color: color-mix(in srgb, currentColor 75%, transparent);
      margin: 0 0 0.5rem;
    }
    aside {
      font-size: 13px;
    }
    aside section {
      margin-bottom: 1.25rem;
    }
    aside h2 {
      font-size: 1rem;
      margin: 0 0 0.5rem;
    }
    .entity {
      border-top: 1px solid #e4e4ec;
      padding: 0.4rem 0;
    }
    .entity dl {
      margin: 0.2rem 0 0;
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0 0.5rem;
    }
    .entity dt {
      color: color-mix(in srgb, currentColor 75%, transparent);
      overflow-wrap: anywhere;
    }
    .entity dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .log {
      max-height: 18rem;
      overflow: auto;
      font-family: ui-monospace, monospace;
      font-size: 12px;
    }
    .log .failed {
      color: #b3261e;
    }
    .entity-graph {
      width: 100%;
      max-width: 360px;
      color: #6a6a80;
    }
    .error {
      color: #b3261e;
    }
    button,
    label {
      font: inherit;
    }
  `;

  static override properties = {
    status: { state: true },
    revision: { state: true },
  };

  protected status = 'Loading…';
  protected revision = 0;
  readonly log = new MessageLog();
  store = new EntityStore();
  readonly slots = new Map<BlockName, BlockSlot>();
  /** Set before the element connects to override what the page URL says. */
  config: HostConfig = configFromUrl(new URL(location.href));
  /** Resolves once every block is mounted (tests wait on it). */
  readonly ready: Promise<void>;
  private markReady: () => void = () => {};

  constructor() {
    super();
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    // Messages arrive in bursts (and during updates): re-render at most once per frame.
    let scheduled = false;
    this.log.addEventListener('change', () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        this.revision += 1;
      });
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  get mode(): HostMode {
    return this.config.mode;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const slot of this.slots.values()) slot.destroy();
    this.slots.clear();
  }

  private async start(): Promise<void> {
    try {
      if (!this.mode.hubPreview) {
        this.store = new EntityStore(await openIndexedDbPersistence(this.config.dbName));
        await this.store.load();
      }
      const blocksBase = new URL(this.config.blocksBase);
      const offerService = await this.serviceConfigured();
      for (const name of BLOCK_NAMES) {
        // The hub's preview dock names the block entity so (apps/site block-data-container.tsx).
        const blockEntityId = this.mode.hubPreview ? `test-entity-${name}` : `${name}-block`;
        if (!this.store.get(blockEntityId)) {
          await this.store.create({
            entityId: blockEntityId,
            entityTypeId: BLOCK_METADATA[name].schema,
            properties: (this.mode.hubPreview ? previewProperties(name) : {}) as never,
          });
        }
        const { tagName } = await loadBlock(new URL(`${name}/block-metadata.json`, blocksBase).href);
        this.slots.set(
          name,
          new BlockSlot({
            name,
            tagName,
            store: this.store,
            blockEntityId,
            mode: () => this.mode,
            log: this.log,
            callService: (method, payload) => this.callService(method, payload),
            offerService,
            onWrite: () => {
              this.revision += 1;
            },
            faults: () => this.config.faults,
          }),
        );
      }
      this.status = '';
      this.requestUpdate();
      await this.updateComplete;
      this.markReady();
    } catch (error) {
      this.status = `The host could not start: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Asks the host's server whether it has an AI service; without one, blocks are not offered the module. */
  private async serviceConfigured(): Promise<boolean> {
    try {
      const response = await fetch(this.config.serviceBase);
      if (!response.ok) return true; // an older server: offer it, and each call says what is missing
      const status = (await response.json()) as { configured?: unknown };
      return status.configured !== false;
    } catch {
      return false;
    }
  }

  private async callService(method: string, payload: unknown) {
    try {
      const response = await fetch(new URL(method, this.config.serviceBase), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload ?? null),
      });
      return (await response.json()) as { data?: unknown; errors?: { code: string; message: string }[] };
    } catch (error) {
      return { errors: [{ code: 'INTERNAL_ERROR', message: `The host's server did not answer: ${String(error)}` }] };
    }
  }

  private navigate(change: Partial<Record<'readonly' | 'preview' | 'temporal', boolean>>): void {
    const url = new URL(location.href);
    for (const [key, value] of Object.entries(change)) {
      if (value) url.searchParams.set(key, '1');
      else url.searchParams.delete(key);
    }
    location.href = url.href;
  }

  private async resetStore(): Promise<void> {
    await this.store.clear();
    location.reload();
  }

  override render() {
    const entities = this.store.all().map((record) => record.entity);
    const isolation = isolationReport();
    return html`
      <header>
        <h1>AI Blocks host</h1>
        <label
          ><input
            type="checkbox"
            .checked=${this.mode.readonly}
            @change=${(event: Event) => {
              this.navigate({ readonly: (event.target as HTMLInputElement).checked });
            }}
          />
          Read-only</label
        >
        <label
          ><input
            type="checkbox"
            .checked=${this.mode.hubPreview}
            @change=${(event: Event) => {
              this.navigate({ preview: (event.target as HTMLInputElement).checked });
            }}
          />
          Hub preview</label
        >
        <label
          ><input
            type="checkbox"
            .checked=${this.mode.temporal}
            @change=${(event: Event) => {
              this.navigate({ temporal: (event.target as HTMLInputElement).checked });
            }}
          />
          Temporal subgraphs (like HASH)</label
        >
        <button type="button" @click=${() => void this.resetStore()} ?disabled=${this.mode.hubPreview}>
          Reset store
        </button>
        <span class="counters" data-writes=${this.log.writeRequests} data-service-calls=${this.log.serviceRequests}>
          ${this.log.writeRequests} write requests · ${this.log.serviceRequests} service calls
        </span>
        <span class="isolation" data-isolated=${String(isolation.isolated)}>${isolation.text}</span>
      </header>
      <main>
        ${this.status ? html`<p class="error" role="status">${this.status}</p>` : nothing}
        ${[...this.slots.entries()].map(
          ([name, slot]) =>
            html`<section class="block-section" aria-label=${BLOCK_METADATA[name].displayName}>
              <h2>${BLOCK_METADATA[name].displayName}</h2>
              ${slot.wrapper}
            </section>`,
        )}
      </main>
      <aside aria-label="What the blocks persisted">
        <section>
          <h2>Links</h2>
          ${renderEntityGraph(entities)}
        </section>
        <section>
          <h2>Entities (${entities.length})</h2>
          ${entities.map(
            (entity) =>
              html`<div class="entity" data-entity-id=${entity.metadata.recordId.entityId}>
                <strong>${typeLabel(entity.metadata.entityTypeId)}</strong>
                <code>${entity.metadata.recordId.entityId}</code>
                ${
                  entity.linkData
                    ? html`<div>${entity.linkData.leftEntityId} → ${entity.linkData.rightEntityId}</div>`
                    : nothing
                }
                <dl>
                  ${Object.entries(entity.properties).map(
                    ([key, value]) =>
                      html`<dt>${key.replace(/^.*\/([^/]+)\/$/, '$1')}</dt>
                        <dd>${displayValue(value)}</dd>`,
                  )}
                </dl>
              </div>`,
          )}
        </section>
        <section>
          <h2>Block Protocol messages (${this.log.entries.length})</h2>
          <ol class="log" aria-live="off">
            ${this.log.entries
              .slice(-200)
              .map(
                (entry) =>
                  html`<li class=${entry.failed ? 'failed' : ''}>
                    ${entry.block} ${entry.source === 'block' ? '→' : '←'} ${entry.module}.${entry.messageName}
                  </li>`,
              )}
          </ol>
        </section>
      </aside>
    `;
  }
}
