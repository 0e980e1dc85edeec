// The cloud model a person connected from a block's picker. One per page, shared by every block
// on it (each block's main file is its own bundle, so it lives on globalThis); the key is held in
// memory, and written to this browser's storage only when the person asks to be remembered.
// Never in the graph, never in a log.
import type { ModelConnection } from '@ai-blocks/runtime';
import * as z from 'zod/mini';

/** A connection, and whether the person asked this browser to remember it. */
export interface PersonConnection extends ModelConnection {
  remember: boolean;
}

const STORAGE_KEY = 'ai-blocks:connection';
const SLOT = Symbol.for('ai-blocks.person-connection');
/** Told on the page when the connection changes, so every picker follows. */
export const CONNECTION_CHANGED_EVENT = 'ai-blocks-connection-changed';

const storedSchema = z.object({
  kind: z.string(),
  baseURL: z.string(),
  apiKey: z.optional(z.string()),
  model: z.string(),
  imageModel: z.optional(z.string()),
});

type Slot = { connection: PersonConnection | undefined };

function slot(): Slot {
  const holder = globalThis as { [SLOT]?: Slot };
  if (!holder[SLOT]) holder[SLOT] = { connection: loadRemembered() };
  return holder[SLOT];
}

/** The person's connection on this page, if any. */
export function personConnection(): PersonConnection | undefined {
  return slot().connection;
}

/** Sets (or, with undefined, forgets) the person's connection, and tells every picker on the page. */
export function setPersonConnection(connection: PersonConnection | undefined): void {
  slot().connection = connection;
  try {
    const { remember, ...stored } = connection ?? { remember: false };
    if (remember) localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // No storage here (sandboxed frame, Node): the connection lasts for this visit.
  }
  globalThis.dispatchEvent(new Event(CONNECTION_CHANGED_EVENT));
}

function loadRemembered(): PersonConnection | undefined {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const parsed = raw ? storedSchema.safeParse(JSON.parse(raw)) : undefined;
    if (!parsed?.success) return undefined;
    const { kind, apiKey, imageModel, ...rest } = parsed.data;
    if (kind !== 'openai-compatible' && kind !== 'anthropic') return undefined;
    return { ...rest, kind, ...(apiKey ? { apiKey } : {}), ...(imageModel ? { imageModel } : {}), remember: true };
  } catch {
    return undefined;
  }
}
