// Shared by the browser tests that run the built blocks inside the project's host.
import { executeServerCommand } from '@web/test-runner-commands';
import { AiBlocksHostApp, type HostConfig } from '../../packages/host/src/page/host-app.js';

export interface TestServers {
  fault: string;
  model?: string;
  slowModel?: string;
  modelId?: string;
}

if (!customElements.get('ai-blocks-host-app')) customElements.define('ai-blocks-host-app', AiBlocksHostApp);
(globalThis as { AI_BLOCKS_ASSET_BASE_URL?: string }).AI_BLOCKS_ASSET_BASE_URL = new URL(
  '/dist/runtime-assets/',
  location.href,
).href;

let servers: Promise<TestServers> | undefined;

/** URLs of the test servers the WTR plugin started (fault server, llama.cpp servers). */
export function testServers(): Promise<TestServers> {
  servers ??= executeServerCommand<TestServers, undefined>('test-servers');
  return servers;
}

/** Mounts the host with the built blocks on a fresh (or the named) IndexedDB store. */
export async function mountHost(
  config: Partial<Omit<HostConfig, 'mode'>> & { mode?: Partial<HostConfig['mode']> } = {},
): Promise<AiBlocksHostApp> {
  const { fault } = await testServers();
  const app = new AiBlocksHostApp();
  app.config = {
    dbName: `test-${Math.random().toString(36).slice(2)}`,
    blocksBase: new URL('/dist/blocks/', location.href).href,
    serviceBase: `${fault.replace('SCENARIO', 'service-ok').replace(/\/v1$/, '')}/api/service/`,
    ...config,
    mode: { readonly: false, hubPreview: false, temporal: false, ...config.mode },
  };
  document.body.append(app);
  await app.ready;
  return app;
}

/** Waits for a condition, failing with what was awaited (and, lazily, what was seen). */
export async function until(
  condition: () => boolean,
  what: string | (() => string),
  timeoutMs = 20_000,
): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export type BlockElement = HTMLElement & { settings: Record<string, unknown>; updateComplete: Promise<boolean> };

export function blockIn(app: AiBlocksHostApp, name: 'ai-text' | 'ai-image' | 'ai-chat'): BlockElement {
  const element = app.slots.get(name)?.element;
  if (!element) throw new Error(`no ${name} block`);
  return element as BlockElement;
}

export const shadow = (block: HTMLElement): ShadowRoot => block.shadowRoot as ShadowRoot;
export const button = (block: HTMLElement, action: string): HTMLButtonElement | null =>
  shadow(block).querySelector<HTMLButtonElement>(`button[data-action="${action}"]`);

/** Picks an engine in a block's picker once it is offered. */
export async function chooseEngine(block: BlockElement, engine: string): Promise<void> {
  await block.updateComplete;
  const select = () => shadow(block).querySelector<HTMLSelectElement>('#engine');
  await until(
    () => [...(select()?.options ?? [])].some((option) => option.value === engine && !option.disabled),
    `${engine} to be offered`,
  );
  const element = select() as HTMLSelectElement;
  element.value = engine;
  element.dispatchEvent(new Event('change'));
  await block.updateComplete;
}

export const engineSummary = (block: HTMLElement): string =>
  shadow(block).querySelector('#engine-summary')?.textContent ?? '';
