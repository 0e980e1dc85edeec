/**
 * Calls `onAnswer` when the embedder's initResponse reaches `element`, with whether the embedder
 * offers the Block Protocol `service` module. Add it before the handshake (it can complete inside
 * the block's connectedCallback). Returns a function that stops listening.
 */
export function listenForHostService(element: HTMLElement, onAnswer: (offered: boolean) => void): () => void {
  const listener = (event: Event): void => {
    const detail = (event as CustomEvent<{ messageName?: string; source?: string; data?: Record<string, unknown> }>)
      .detail;
    if (detail.source === 'embedder' && detail.messageName === 'initResponse')
      onAnswer(Boolean(detail.data && 'service' in detail.data));
  };
  element.addEventListener('blockprotocolmessage', listener);
  return () => {
    element.removeEventListener('blockprotocolmessage', listener);
  };
}
