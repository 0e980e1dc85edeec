import { ModuleHandler } from '@blockprotocol/core';

type MessageResult = { data?: unknown; errors?: { code: string; message: string }[] };

/**
 * The block side of the Block Protocol `service` module (the published
 * `@blockprotocol/service` package is not installable): sends `openaiCompleteChat` and
 * `openaiCreateImage` to the embedder, which holds the API keys.
 */
export class ServiceBlockHandler extends ModuleHandler {
  constructor({ element }: { element: HTMLElement }) {
    super({ element, moduleName: 'service', sourceType: 'block' });
  }

  getInitPayload(): Record<string, unknown> {
    return {};
  }

  on(): void {
    // The embedder sends the block nothing in this module.
  }

  /** Sends one request and waits for its `…Response`. */
  request(messageName: 'openaiCompleteChat' | 'openaiCreateImage', data: unknown): Promise<MessageResult> {
    return this.sendMessage<unknown, string>({
      message: { messageName, data },
      respondedToBy: `${messageName}Response`,
    });
  }
}

/** A service-module transport that sends from `element` (a block element inside its host). */
export function elementServiceTransport(
  element: HTMLElement,
): (messageName: 'openaiCompleteChat' | 'openaiCreateImage', data: unknown) => Promise<MessageResult> {
  let handler: ServiceBlockHandler | undefined;
  return (messageName, data) => {
    handler ??= new ServiceBlockHandler({ element });
    return handler.request(messageName, data);
  };
}
