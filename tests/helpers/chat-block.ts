// What a person does with the AI Chat block in the host, for the browser tests.
import { TYPE_IDS } from '@ai-blocks/block-metadata';
import type { AiBlocksHostApp } from '../../packages/host/src/page/host-app.js';
import { blockIn, button, chooseEngine, shadow, until, type BlockElement } from './host-page.js';
import type { RecordingSession } from './recording-server-client.js';

export const chatBlock = (app: AiBlocksHostApp): BlockElement => blockIn(app, 'ai-chat');

/** `role: text` of each finished message shown, in order. */
export const shownMessages = (block: HTMLElement): string[] =>
  [...shadow(block).querySelectorAll<HTMLElement>('article.message:not([data-streaming])')].map(
    (item) => `${item.dataset['role'] ?? ''}: ${item.querySelector('.body')?.textContent.trim() ?? ''}`,
  );

export const responsesIn = (app: AiBlocksHostApp) =>
  app.store
    .all()
    .filter(({ entity }) => entity.metadata.entityTypeId === TYPE_IDS.entityType['ai-chat-response-message'])
    .map(({ entity }) => entity);

/** Gives the block the recording session as its OpenAI-compatible API and picks that engine. */
export async function useRecordingEngine(
  block: BlockElement,
  session: RecordingSession,
  extra: Record<string, unknown> = {},
): Promise<void> {
  block.settings = {
    openaiCompatible: { baseURL: session.baseURL, model: 'recorded-model' },
    ...extra,
  };
  await chooseEngine(block, 'openai-compatible');
}

/** Types into a field the way a person does (sets the value, fires input). */
export async function typeInto(block: BlockElement, selector: string, text: string): Promise<void> {
  const field = shadow(block).querySelector<HTMLTextAreaElement | HTMLInputElement>(selector);
  if (!field) throw new Error(`no ${selector}`);
  field.value = text;
  field.dispatchEvent(new Event('input'));
  await block.updateComplete;
}

/** Chooses an option of a select (fires change). */
export async function choose(block: BlockElement, selector: string, value: string): Promise<void> {
  const select = shadow(block).querySelector<HTMLSelectElement | HTMLInputElement>(selector);
  if (!select) throw new Error(`no ${selector}`);
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await block.updateComplete;
}

/** Writes a message and clicks Send. */
export async function send(block: BlockElement, text: string): Promise<void> {
  await typeInto(block, '#message', text);
  await until(() => button(block, 'send')?.disabled === false, 'Send to be enabled');
  button(block, 'send')?.click();
}

/** Sends and waits until the reply is saved (the store then holds `responses` replies). */
export async function turn(app: AiBlocksHostApp, block: BlockElement, text: string, responses: number): Promise<void> {
  await send(block, text);
  await until(
    () => responsesIn(app).length === responses && shadow(block).querySelector('[data-save="saved"]') !== null,
    `turn "${text}" to be saved`,
  );
}
