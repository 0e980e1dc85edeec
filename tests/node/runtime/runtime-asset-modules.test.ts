import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRuntimeModules } from '../../../scripts/build-runtime-assets.mjs';
import * as wasmMainFile from '../../../shared-runtime/src/engines/wasm/import-wasm-implementation.main-file.js';
import * as wasmSource from '../../../shared-runtime/src/engines/wasm/wasm-implementation.js';
import * as webllmMainFile from '../../../shared-runtime/src/engines/webllm/import-webllm-implementation.main-file.js';
import * as webllmSource from '../../../shared-runtime/src/engines/webllm/webllm-implementation.js';
import * as cloudSource from '../../../shared-runtime/src/cloud-engines/cloud-engines.js';
import { importCloudEngines } from '../../../shared-runtime/src/cloud-engines/import-cloud-engines.main-file.js';
import { importImplementation } from '../../../shared-runtime/src/provider-utils/assets.js';
import { importModelDownload } from '../../../shared-runtime/src/provider-utils/import-model-download.main-file.js';
import * as downloadSource from '../../../shared-runtime/src/provider-utils/model-download.js';

// A block's main file imports the local engines' implementations and the model download from
// the runtime assets when a model loads (docs/engines.md). These are the loaders it is built
// with, run against what the build writes.
const functionsOf = (module: object) =>
  Object.entries(module)
    .filter(([, value]) => typeof value === 'function')
    .map(([name]) => name)
    .sort();

describe('the runtime modules a main file imports on demand', () => {
  let dir = '';
  let base = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ai-blocks-runtime-modules-'));
    await buildRuntimeModules(dir);
    base = pathToFileURL(`${dir}/`).href;
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are where the main-file loaders look, with the functions of their source modules', async () => {
    expect(functionsOf(await wasmMainFile.importWasmImplementation(base))).toEqual(functionsOf(wasmSource));
    expect(functionsOf(await webllmMainFile.importWebLLMImplementation(base))).toEqual(functionsOf(webllmSource));
    expect(functionsOf(await importModelDownload(base))).toEqual(functionsOf(downloadSource));
    expect(functionsOf(await importCloudEngines(base))).toEqual([
      'createAnthropicEngine',
      'createOpenAICompatibleEngine',
    ]);
    expect(functionsOf(cloudSource)).toEqual(['createAnthropicEngine', 'createOpenAICompatibleEngine']);
    expect(functionsOf(wasmSource)).toContain('createWasmImplementation');
  });

  it('report an asset that cannot be reached as ENGINE_UNAVAILABLE, naming what and where', async () => {
    const missing = pathToFileURL(join(dir, 'nowhere/')).href;
    const error = await importImplementation(
      () => wasmMainFile.importWasmImplementation(missing),
      'The WebAssembly engine',
      `${missing}engines/wasm.js`,
      ['createWasmImplementation'],
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: `The WebAssembly engine could not be loaded from ${missing}engines/wasm.js`,
    });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('refuse an asset from another release that lacks a function the factory calls', async () => {
    const old = { createWasmImplementation: () => undefined };
    await expect(
      importImplementation(
        () => Promise.resolve(old as Partial<typeof webllmSource>),
        'The GPU engine (web-llm)',
        `${base}engines/webllm.js`,
        ['createWebLLMImplementation', 'isWebLLMModelCached'],
      ),
    ).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: expect.stringContaining('lacks createWebLLMImplementation, isWebLLMModelCached') as unknown,
    });
  });
});
