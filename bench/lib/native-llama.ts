// Native llama.cpp (node-llama-cpp's prebuilt CPU binaries) for the Wasm-versus-native
// benchmark: the same GGUF, chat template, greedy decoding and thread count as the page.
// node-llama-cpp is installed on its own under tests/model-server (see its package.json), so it
// is imported from there by path; when that install is missing the benchmark says so.
import { fileURLToPath } from 'node:url';
// Types only (erased): the module itself is imported at run time below, so a missing install is a clear message.
import type * as NodeLlamaCppModule from '../../tests/model-server/node_modules/node-llama-cpp/dist/index.js';

type NodeLlamaCpp = typeof NodeLlamaCppModule;

const entry = new URL('../../tests/model-server/node_modules/node-llama-cpp/dist/index.js', import.meta.url);

export interface NativeGeneration {
  text: string;
  inputTokens: number;
  outputTokens: number;
  ttftMs: number;
  decodeTokensPerSecond: number;
}

export interface NativeModel {
  /** `loadModel` + `createContext` (the binaries are loaded once, before). */
  loadMs: number;
  generate(prompt: string, maxTokens: number): Promise<NativeGeneration>;
  dispose(): Promise<void>;
}

export interface NativeRunner {
  load(modelPath: string, options: { threads: number; contextSize: number }): Promise<NativeModel>;
}

/** Loads node-llama-cpp's CPU binaries; throws with the reason when they are not installed. */
export async function startNative(): Promise<NativeRunner> {
  let api: NodeLlamaCpp;
  try {
    api = (await import(entry.href)) as NodeLlamaCpp;
  } catch (error) {
    throw new Error(
      `node-llama-cpp is not installed at ${fileURLToPath(entry)} (run: node tests/model-server/install.mjs): ` +
        (error instanceof Error ? error.message : String(error)),
    );
  }
  // maxThreads 0: the context's `threads` is then the exact count used, not a hint.
  const llama = await api.getLlama({ gpu: false, build: 'never', logLevel: api.LlamaLogLevel.error, maxThreads: 0 });
  return {
    async load(modelPath, options) {
      const started = performance.now();
      const model = await llama.loadModel({ modelPath });
      const context = await model.createContext({ contextSize: options.contextSize, threads: options.threads });
      const loadMs = performance.now() - started;
      const sequence = context.getSequence();
      // The chat template stored in the GGUF, as the page's wllama uses it.
      const chatWrapper = api.resolveChatWrapper(model);
      return {
        loadMs,
        async generate(prompt, maxTokens) {
          const state = chatWrapper.generateContextState({
            chatHistory: [
              { type: 'user', text: prompt },
              { type: 'model', response: [] },
            ],
          });
          const promptTokens = state.contextText.tokenize(model.tokenizer);
          // Each run starts from an empty KV cache, like the page's first request on a prompt.
          await sequence.clearHistory();
          const output: NodeLlamaCppModule.Token[] = [];
          const started = performance.now();
          let first = 0;
          let last = 0;
          for await (const token of sequence.evaluate(promptTokens, { temperature: 0 })) {
            if (model.isEogToken(token)) break;
            last = performance.now();
            if (output.length === 0) first = last;
            output.push(token);
            if (output.length >= maxTokens) break;
          }
          return {
            text: model.detokenize(output),
            inputTokens: promptTokens.length,
            outputTokens: output.length,
            ttftMs: first - started,
            decodeTokensPerSecond:
              output.length > 1 && last > first ? (output.length - 1) / ((last - first) / 1000) : 0,
          };
        },
        async dispose() {
          await context.dispose();
          await model.dispose();
        },
      };
    },
  };
}
