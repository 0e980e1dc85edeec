/** @ai-blocks/test-models: deterministic GGUF models the project generates for tests and benchmarks. */
export * from './gguf-writer.js';
export * from './tiny-llama.js';
