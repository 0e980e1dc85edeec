/** Where keys may be remembered when a person opts in (localStorage in the browser). */
export interface KeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'ai-blocks.api-key.';

/**
 * Holds API keys in memory. A key is written to storage only when the person opts in to
 * remembering it; keys are never written to the graph and never logged.
 */
export class ApiKeyStore {
  private readonly keys = new Map<string, string>();

  constructor(private readonly storage?: KeyStorage) {}

  /** The key for a provider: from memory, else one the person asked to remember. */
  get(provider: string): string | undefined {
    const inMemory = this.keys.get(provider);
    if (inMemory !== undefined) return inMemory;
    const remembered = this.storage?.getItem(PREFIX + provider) ?? undefined;
    if (remembered !== undefined) this.keys.set(provider, remembered);
    return remembered;
  }

  set(provider: string, key: string, options: { remember?: boolean } = {}): void {
    this.keys.set(provider, key);
    if (options.remember) this.storage?.setItem(PREFIX + provider, key);
    else this.storage?.removeItem(PREFIX + provider);
  }

  forget(provider: string): void {
    this.keys.delete(provider);
    this.storage?.removeItem(PREFIX + provider);
  }

  /** Whether the key for `provider` is remembered beyond this page. */
  isRemembered(provider: string): boolean {
    return this.storage?.getItem(PREFIX + provider) != null;
  }
}
