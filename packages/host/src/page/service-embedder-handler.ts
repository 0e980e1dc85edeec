import { ModuleHandler } from '@blockprotocol/core';

type ServiceCallback = (message: {
  data?: unknown;
}) => Promise<{ data?: unknown; errors?: { code: string; message: string }[] }>;

/** The OpenAI messages of the Block Protocol service module, as HASH used them. */
export const SERVICE_MESSAGE_NAMES = ['openaiCompleteChat', 'openaiCreateImage'] as const;

/**
 * The embedder side of the Block Protocol `service` module (the published
 * `@blockprotocol/service` package is not installable, so this is a small ModuleHandler).
 */
export class ServiceEmbedderHandler extends ModuleHandler {
  constructor({
    element,
    callbacks,
  }: {
    element: HTMLElement;
    callbacks: Record<(typeof SERVICE_MESSAGE_NAMES)[number], ServiceCallback>;
  }) {
    super({ element, callbacks, moduleName: 'service', sourceType: 'embedder' });
  }

  getInitPayload(): Record<string, unknown> {
    return {};
  }

  on(messageName: string, handlerFunction: ServiceCallback): void {
    this.registerCallback({ messageName, callback: handlerFunction as never });
  }
}
