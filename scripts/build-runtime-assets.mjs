// Writes the runtime's heavy assets into dist/runtime-assets/, served beside the blocks and
// loaded only when needed: the local engines' implementations, wllama's module and wasm,
// web-llm's module, onnxruntime-web, the Markdown renderer, the highlighter, and the bundled
// tiny test models (the offline defaults of the CPU text engine and the image engine).
import { build } from 'vite';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { rootDir } from './build-blocks.mjs';
import { singleFileConfig } from './vite-block-config.mjs';

export async function buildRuntimeAssets({ outDir = join(rootDir, 'dist') } = {}) {
  const target = join(outDir, 'runtime-assets');
  const wllama = join(rootDir, 'node_modules/@wllama/wllama/esm');
  await mkdir(join(target, 'wllama', 'wasm'), { recursive: true });
  await copyFile(join(wllama, 'index.js'), join(target, 'wllama', 'index.js'));
  await copyFile(join(wllama, 'wasm', 'wllama.wasm'), join(target, 'wllama', 'wasm', 'wllama.wasm'));
  // web-llm's bundle (~6.8 MB, with tvmjs and the tokenizers inlined), loaded by the GPU engine's worker.
  await mkdir(join(target, 'webllm'), { recursive: true });
  await copyFile(join(rootDir, 'node_modules/@mlc-ai/web-llm/lib/index.js'), join(target, 'webllm', 'index.js'));
  await build(
    singleFileConfig({
      entry: join(rootDir, 'packages/ui/src/markdown/highlight-entry.ts'),
      outDir: target,
      fileName: 'highlight.js',
      format: 'es',
      variants: false,
    }),
  );
  await buildRuntimeModules(target);
  // The text pickers' "Connect a model" form, loaded when a person opens it.
  await build(
    singleFileConfig({
      entry: join(rootDir, 'packages/ui/src/engine-picker/connect-form.ts'),
      outDir: target,
      fileName: 'connect-form.js',
      format: 'es',
      variants: false,
    }),
  );
  // The Markdown renderer (marked + DOMPurify), loaded by the blocks on first use.
  await build(
    singleFileConfig({
      entry: join(rootDir, 'packages/ui/src/markdown/markdown-entry.ts'),
      outDir: target,
      fileName: 'markdown.js',
      format: 'es',
      variants: false,
    }),
  );
  // onnxruntime-web for the image engine's worker: its ES modules and the plain (CPU) and
  // asyncify (WebGPU) WebAssembly builds, fetched only when an image model loads.
  const ort = join(rootDir, 'node_modules/onnxruntime-web/dist');
  await mkdir(join(target, 'onnxruntime-web'), { recursive: true });
  for (const file of [
    'ort.wasm.min.mjs',
    'ort.webgpu.min.mjs',
    'ort-wasm-simd-threaded.mjs',
    'ort-wasm-simd-threaded.wasm',
    'ort-wasm-simd-threaded.asyncify.mjs',
    'ort-wasm-simd-threaded.asyncify.wasm',
  ]) {
    await copyFile(join(ort, file), join(target, 'onnxruntime-web', file));
  }
  const { generateLlamaGguf } = await tsImport('../packages/test-models/src/index.ts', import.meta.url);
  await mkdir(join(target, 'models'), { recursive: true });
  await writeFile(join(target, 'models', 'ai-blocks-tiny.gguf'), generateLlamaGguf());
  // The tiny image model (manifest, ONNX parts, tokenizer), the image engine's offline default.
  const { writeTinyDiffusion } = await tsImport('../packages/test-models/src/node.ts', import.meta.url);
  writeTinyDiffusion(join(target, 'models', 'ai-blocks-tiny-diffusion'));
  return target;
}

/**
 * The halves of the runtime that a main file imports only when a model loads (the
 * import-*.main-file.ts loaders): the GPU and CPU engines' implementations and the model
 * download, written into `target` (the runtime assets' folder).
 * @returns {Promise<string[]>} the files written, relative to `target`
 */
export async function buildRuntimeModules(target) {
  const runtime = join(rootDir, 'shared-runtime/src');
  const modules = [
    ['engines/webllm/webllm-implementation.ts', 'engines/webllm.js'],
    ['engines/wasm/wasm-implementation.ts', 'engines/wasm.js'],
    ['engines/onnx-image/onnx-image-engine.ts', 'engines/onnx-image.js'],
    ['engines/prompt-api/prompt-api-implementation.ts', 'engines/prompt-api.js'],
    ['provider-utils/model-download.ts', 'model-download.js'],
    ['cloud-engines/cloud-engines.ts', 'engines/cloud.js'],
  ];
  for (const [entry, file] of modules) {
    await build(
      singleFileConfig({
        entry: join(runtime, entry),
        outDir: join(target, dirname(file)),
        fileName: basename(file),
        format: 'es',
        variants: false,
      }),
    );
  }
  return modules.map(([, file]) => file);
}
