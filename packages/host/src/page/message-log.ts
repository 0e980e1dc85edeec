/** One Block Protocol message seen on a block's wrapper. */
export interface LoggedMessage {
  block: string;
  source: 'block' | 'embedder';
  module: string;
  messageName: string;
  requestId: string;
  /** True when the answer carried errors. */
  failed: boolean;
  at: number;
}

const WRITE_MESSAGES = new Set(['createEntity', 'updateEntity', 'deleteEntity', 'uploadFile']);

/** Counts and keeps the messages the host saw, for the panel and for tests. */
export class MessageLog extends EventTarget {
  readonly entries: LoggedMessage[] = [];

  add(entry: LoggedMessage): void {
    this.entries.push(entry);
    if (this.entries.length > 2000) this.entries.splice(0, this.entries.length - 2000);
    this.dispatchEvent(new Event('change'));
  }

  clear(): void {
    this.entries.length = 0;
    this.dispatchEvent(new Event('change'));
  }

  /** Write requests blocks sent (answered or refused). */
  get writeRequests(): number {
    return this.entries.filter(
      (entry) => entry.source === 'block' && entry.module === 'graph' && WRITE_MESSAGES.has(entry.messageName),
    ).length;
  }

  /** Service-module requests blocks sent. */
  get serviceRequests(): number {
    return this.entries.filter((entry) => entry.source === 'block' && entry.module === 'service').length;
  }

  /** Listens to every Block Protocol message that passes a block's wrapper. */
  watch(wrapper: HTMLElement, block: string): void {
    wrapper.addEventListener(
      'blockprotocolmessage',
      (event) => {
        const detail = (event as CustomEvent<Record<string, unknown>>).detail;
        this.add({
          block,
          source: detail['source'] === 'embedder' ? 'embedder' : 'block',
          module: String(detail['module']),
          messageName: String(detail['messageName']),
          requestId: String(detail['requestId']),
          failed: Array.isArray(detail['errors']) && detail['errors'].length > 0,
          at: Date.now(),
        });
      },
      { capture: true },
    );
  }
}
