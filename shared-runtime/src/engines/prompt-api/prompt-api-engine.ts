import type {
  Availability,
  LoadOptions,
  TextCallOptions,
  TextEngine,
  TextStreamResult,
} from '../../interface/engine.js';
import { AiError, AiErrorCode } from '../../interface/errors.js';
import { assetBaseFor, importImplementation } from '../../provider-utils/assets.js';
import { importPromptApiImplementation } from './import-prompt-api-implementation.js';
import { probeBuiltInAi, TEXT_IO } from './probe-built-in-ai.js';
import type { BuiltInAiGlobal, LanguageModelSession } from './prompt-api-types.js';

/** The model's name in provenance: Chrome does not say which model it runs. */
export const BUILT_IN_MODEL_ID = 'chrome-built-in';

export interface PromptApiEngineSettings {
  /** Where `LanguageModel` lives: `globalThis` in a page, a fake in tests. */
  global?: BuiltInAiGlobal;
  /** Where the runtime assets are (`<base>engines/prompt-api.js`); defaults to the runtime asset base. */
  assetBaseUrl?: string;
}

/** Structured output: the answer must be JSON matching `schema` (passed as `responseConstraint`). */
export interface ResponseFormat {
  type: 'json';
  schema?: Record<string, unknown>;
}

export interface PromptApiCallOptions extends TextCallOptions {
  responseFormat?: ResponseFormat;
}

export interface PromptApiEngine extends TextEngine {
  /** Creates the first session: Chrome downloads its model then, reporting `monitor` progress. */
  load(options?: LoadOptions): Promise<void>;
  doStream(options: PromptApiCallOptions): Promise<TextStreamResult>;
  dispose(): Promise<void>;
}

/**
 * The browser's own language model through the Prompt API (`LanguageModel`, Chrome 148+):
 * nothing to download per site, nothing leaves the device. The factory is light; prompting
 * (prompt-api-implementation.ts, the runtime asset `engines/prompt-api.js`) loads on first use.
 */
export function createPromptApiEngine(settings: PromptApiEngineSettings = {}): PromptApiEngine {
  const global = settings.global ?? (globalThis as BuiltInAiGlobal);
  let base: Promise<LanguageModelSession> | undefined;
  // The prompting code and the error map are a runtime asset, imported on first need.
  const implementation = () => {
    const assetBaseUrl = assetBaseFor(settings.assetBaseUrl);
    return importImplementation(
      () => importPromptApiImplementation(assetBaseUrl),
      'Chrome’s built-in model engine',
      `${assetBaseUrl}engines/prompt-api.js`,
      ['streamPrompt', 'toBuiltInAiError'],
    );
  };

  const engine: PromptApiEngine = {
    specificationVersion: 'v1',
    engineId: 'browser-ai',
    modelId: BUILT_IN_MODEL_ID,
    kind: 'local',

    async availability(): Promise<Availability> {
      const state = await probeBuiltInAi(global);
      if (state === 'available') return 'available';
      return state === 'downloadable' || state === 'downloading' ? 'downloadable' : 'unavailable';
    },

    load(options: LoadOptions = {}): Promise<void> {
      const api = global.LanguageModel;
      if (!api)
        return Promise.reject(new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'This browser has no built-in model.'));
      // create() runs now, in the caller's task: while the model must still be downloaded, Chrome
      // accepts it only with the user activation of the click that asked for it.
      base ??= api
        .create({
          ...TEXT_IO,
          ...(options.abortSignal ? { signal: options.abortSignal } : {}),
          monitor: (monitor) => {
            monitor.addEventListener('downloadprogress', (event) => {
              options.onProgress?.({
                fraction: Math.min(1, Math.max(0, event.loaded)),
                text: 'Chrome is downloading its built-in model',
              });
            });
          },
        })
        .catch(async (error: unknown) => {
          base = undefined;
          throw (await implementation()).toBuiltInAiError(error, 'create');
        });
      return base.then(() => {
        options.onProgress?.({ fraction: 1, text: 'Chrome’s built-in model is ready' });
      });
    },

    async doStream(options: PromptApiCallOptions): Promise<TextStreamResult> {
      await engine.load(options.abortSignal ? { abortSignal: options.abortSignal } : {});
      const api = global.LanguageModel;
      if (!api) throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'This browser has no built-in model.');
      const { streamPrompt } = await implementation();
      return streamPrompt(api, TEXT_IO, options);
    },

    async dispose(): Promise<void> {
      const session = await base?.catch(() => undefined);
      base = undefined;
      session?.destroy();
    },
  };
  return engine;
}
