/** Built-in system prompts a person can choose from (or write their own). */
export interface SystemPromptPreset {
  id: string;
  label: string;
  prompt: string;
}

export const SYSTEM_PROMPT_PRESETS: readonly SystemPromptPreset[] = [
  {
    id: 'helpful',
    label: 'Helpful assistant',
    prompt: 'You are a helpful assistant. Answer clearly and say when you are not sure.',
  },
  {
    id: 'concise',
    label: 'Concise',
    prompt: 'You are a concise assistant. Answer in as few words as the question allows.',
  },
  {
    id: 'tutor',
    label: 'Patient tutor',
    prompt: 'You are a patient tutor. Explain step by step, check understanding, and give small examples.',
  },
  {
    id: 'editor',
    label: 'Writing editor',
    prompt: 'You are an editor. Improve the clarity and flow of the text you are given and explain your main changes.',
  },
];

/** The id stored when the person wrote their own system prompt. */
export const CUSTOM_PRESET_ID = 'custom';

export function presetPrompt(id: string | undefined): string | undefined {
  return SYSTEM_PROMPT_PRESETS.find((preset) => preset.id === id)?.prompt;
}

/** Context windows of models whose size we know; others get a conservative default. */
export const CONTEXT_WINDOWS: Readonly<Record<string, number>> = {
  'gpt-4o': 128_000,
  'gpt-4o-mini': 128_000,
  'gpt-4.1': 1_000_000,
  'gpt-4.1-mini': 1_000_000,
  'claude-sonnet-4-5': 200_000,
  'claude-haiku-4-5': 200_000,
};

export const DEFAULT_CONTEXT_WINDOW = 8_192;
/** The Wasm engine loads a model the catalogue does not describe with this context size (its default). */
export const WASM_CONTEXT_WINDOW = 2_048;

/** What the context window depends on of the engine choice (structural: EngineChoiceController fits). */
export interface ContextWindowSource {
  readonly selection: { readonly choice: string | undefined } | undefined;
  activeLocalModel(): { contextWindow?: number } | undefined;
}

/**
 * The context window a reply's history must fit: the host's, else the one the CPU engine loads
 * its model with, the in-browser model's, or the known size of a cloud model (`engine`: the one
 * writing the reply; without it, the one chosen).
 */
export function contextWindowFor(
  override: number | undefined,
  engines: ContextWindowSource,
  engine?: { engineId: string; modelId: string },
): number {
  if (override) return override;
  const engineId = engine?.engineId ?? engines.selection?.choice;
  // In-browser models: the catalogue's window, the one the engine loads the model with.
  if (engineId === 'wasm') return engines.activeLocalModel()?.contextWindow ?? WASM_CONTEXT_WINDOW;
  if (engineId === 'webllm') return engines.activeLocalModel()?.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  return (engine ? CONTEXT_WINDOWS[engine.modelId] : undefined) ?? DEFAULT_CONTEXT_WINDOW;
}
