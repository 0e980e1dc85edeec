// The cloud engines' code, the runtime asset `engines/cloud.js`: AI Text and AI Chat load it when
// a person first runs a connected OpenAI-compatible or Anthropic model (lazy-cloud-engine.ts),
// so the blocks' main files do not carry two HTTP clients and their stream parsers.
export { createAnthropicEngine } from '../engines/anthropic/anthropic-engine.js';
export { createOpenAICompatibleEngine } from '../engines/openai-compatible/openai-compatible-engine.js';
