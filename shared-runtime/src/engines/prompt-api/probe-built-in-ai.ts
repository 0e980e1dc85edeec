import type { BuiltInAiGlobal, BuiltInAvailability, LanguageModelCoreOptions } from './prompt-api-types.js';

/**
 * Whether the page can use the browser's own language model: `no-api` (not Chrome, or too old),
 * `blocked` (the page's permissions policy denies `language-model`), or what `availability()` said.
 */
export type BuiltInAiState = 'no-api' | 'blocked' | BuiltInAvailability;

/** The inputs and outputs the text engines ask for (the browser checks it supports them). */
export const TEXT_IO: LanguageModelCoreOptions = {
  expectedInputs: [{ type: 'text', languages: ['en'] }],
  expectedOutputs: [{ type: 'text', languages: ['en'] }],
};

/** Asks the page's `LanguageModel` how available it is. Never throws. */
export async function probeBuiltInAi(
  global: BuiltInAiGlobal = globalThis as BuiltInAiGlobal,
  options: LanguageModelCoreOptions = TEXT_IO,
): Promise<BuiltInAiState> {
  const api = global.LanguageModel;
  if (typeof api?.availability !== 'function') return 'no-api';
  // Chrome's own answer to the permissions policy; elsewhere availability() rejects instead.
  if (global.document?.featurePolicy?.allowsFeature('language-model') === false) return 'blocked';
  try {
    return await api.availability(options);
  } catch (error) {
    return typeof error === 'object' && error !== null && 'name' in error && error.name === 'NotAllowedError'
      ? 'blocked'
      : 'unavailable';
  }
}
