// Opens the host in a new document (an iframe that loads its own page, modules and blocks) on an
// existing IndexedDB store: a reload as a person does it, not a remount in the same page.
import type { AiBlocksHostApp } from '../../packages/host/src/page/host-app.js';
import { testServers, until } from './host-page.js';

export interface HostDocument {
  app: AiBlocksHostApp;
  /** The new document's window (its own realm: other module instances, other custom elements). */
  window: Window;
  close(): void;
}

/**
 * Loads tests/helpers/host-document.html with the host on the store `dbName`, and waits until its blocks are mounted.
 */
export async function openHostInNewDocument(dbName: string): Promise<HostDocument> {
  const { fault } = await testServers();
  const url = new URL('/tests/helpers/host-document.html', location.href);
  url.searchParams.set('db', dbName);
  url.searchParams.set('service', `${fault.replace('SCENARIO', 'service-ok').replace(/\/v1$/, '')}/api/service/`);
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 1200px; height: 900px; border: 0';
  frame.src = url.href;
  document.body.append(frame);
  const host = () =>
    frame.contentWindow ? (Reflect.get(frame.contentWindow, 'aiBlocksHost') as AiBlocksHostApp | undefined) : undefined;
  await until(() => host() !== undefined, 'the host in the new document', 30_000);
  const app = host();
  const frameWindow = frame.contentWindow;
  // An element of this realm would mean the same document, not a new one.
  if (!app || !frameWindow || app instanceof HTMLElement)
    throw new Error('the host did not load in a document of its own');
  return {
    app,
    window: frameWindow,
    close: () => {
      frame.remove();
    },
  };
}
