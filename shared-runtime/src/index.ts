/** @ai-blocks/runtime: the engine interface, engine selection, streaming and the engines. */
export * from './interface/index.js';
