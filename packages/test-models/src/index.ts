/** @ai-blocks/test-models: deterministic GGUF and ONNX models the project generates for tests and benchmarks. */
export * from './gguf-writer.js';
export * from './tiny-llama.js';
export * from './onnx-writer.js';
export * from './tiny-diffusion.js';
export * from './sdxs-shaped-diffusion.js';
