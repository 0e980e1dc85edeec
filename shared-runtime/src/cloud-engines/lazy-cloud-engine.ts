import type { Availability, TextCallOptions, TextEngine, TextStreamResult } from '../interface/engine.js';
import { assetBaseFor, importImplementation } from '../provider-utils/assets.js';
import { importCloudEngines, type CloudEnginesModule } from './import-cloud-engines.js';

/**
 * A cloud engine whose code loads on its first call (the runtime asset `engines/cloud.js` in a
 * block's main file): `create` builds the real engine from the loaded module. Its header
 * (engine, model, kind) is known at once, so the picker and provenance need no load.
 */
export function lazyCloudEngine(
  header: { engineId: 'openai-compatible' | 'anthropic'; modelId: string; assetBaseUrl?: string },
  create: (module: CloudEnginesModule) => TextEngine,
): TextEngine {
  let engine: Promise<TextEngine> | undefined;
  const real = (): Promise<TextEngine> => {
    const assetBaseUrl = assetBaseFor(header.assetBaseUrl);
    engine ??= importImplementation(
      () => importCloudEngines(assetBaseUrl),
      'The cloud engines',
      `${assetBaseUrl}engines/cloud.js`,
      ['createOpenAICompatibleEngine', 'createAnthropicEngine'],
    ).then(create);
    // A failed load is tried again on the next call.
    engine.catch(() => (engine = undefined));
    return engine;
  };
  return {
    specificationVersion: 'v1',
    engineId: header.engineId,
    modelId: header.modelId,
    kind: 'cloud',
    availability: (): Promise<Availability> => Promise.resolve('available'),
    doStream: async (options: TextCallOptions): Promise<TextStreamResult> => (await real()).doStream(options),
  };
}
