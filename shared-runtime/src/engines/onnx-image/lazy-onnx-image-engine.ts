import type {
  Availability,
  GeneratedImage,
  ImageCallOptions,
  ImageEngine,
  LoadOptions,
} from '../../interface/engine.js';
import { assetBaseFor, importImplementation } from '../../provider-utils/assets.js';
import { importOnnxImageEngine } from './import-onnx-image-engine.js';
import type { ExecutionProvider } from './memory-check.js';
import type { OnnxImageEngine, OnnxImageEngineSettings } from './onnx-image-engine.js';

/** The in-browser image engine as a block creates it, named for the engine table's row. */
export interface LazyOnnxImageEngine extends ImageEngine {
  load(options?: LoadOptions): Promise<void>;
  dispose(): Promise<void>;
  /** The provider in use after load. */
  readonly executionProvider: ExecutionProvider | undefined;
  /** WebAssembly threads in use after load (0 before). */
  readonly threads: number;
}

/**
 * The ONNX image engine behind a light front: the pipeline (tokenizer, scheduler, PNG encoder,
 * worker) is a runtime asset imported on first load, so a block's main file carries none of it.
 * `engineId` is the engine table's id the block chose (`wasm` for the CPU, `webllm` for the GPU),
 * which is what provenance stores.
 */
export function createLazyOnnxImageEngine(
  settings: OnnxImageEngineSettings & { engineId: 'wasm' | 'webllm'; modelId: string },
): LazyOnnxImageEngine {
  let inner: Promise<OnnxImageEngine> | undefined;
  let created: OnnxImageEngine | undefined;
  const get = (): Promise<OnnxImageEngine> =>
    (inner ??= (async () => {
      const assetBaseUrl = assetBaseFor(settings.assetBaseUrl);
      const { createOnnxImageEngine } = await importImplementation(
        () => importOnnxImageEngine(assetBaseUrl),
        'The image engine',
        `${assetBaseUrl}engines/onnx-image.js`,
        ['createOnnxImageEngine'],
      );
      // The engine's own id stays 'onnx-image'; this front reports the table's id.
      const engineSettings: OnnxImageEngineSettings & { engineId?: string } = { ...settings };
      delete engineSettings.engineId;
      return (created = createOnnxImageEngine(engineSettings));
    })().catch((error: unknown) => {
      inner = undefined;
      throw error;
    }));
  return {
    specificationVersion: 'v1',
    engineId: settings.engineId,
    modelId: settings.modelId,
    kind: 'local',
    get executionProvider() {
      return created?.executionProvider;
    },
    get threads() {
      return created?.executionProvider === 'wasm' ? created.threads : 0;
    },
    async availability(): Promise<Availability> {
      return (await get()).availability();
    },
    async load(options: LoadOptions = {}): Promise<void> {
      await (await get()).load(options);
    },
    async doGenerate(options: ImageCallOptions): Promise<{ images: GeneratedImage[] }> {
      return (await get()).doGenerate(options);
    },
    async dispose(): Promise<void> {
      const engine = created;
      inner = undefined;
      created = undefined;
      await engine?.dispose();
    },
  };
}
