import type { ChatSettings } from '@ai-blocks/persistence';
import { isEngineId, type EngineId } from '@ai-blocks/runtime';

/** The engine choice a conversation restores (structural: EngineChoiceController fits). */
export interface EngineChoice<M extends { id: string; engine: string }> {
  readonly models: readonly M[];
  setEngine(engineId: EngineId): void;
  chooseModel(model: M): void;
}

/**
 * Chooses the engine and in-browser model a conversation last used, where this page knows them (a model downloads only
 * when used).
 */
export function restoreEngineChoice<M extends { id: string; engine: string }>(
  engines: EngineChoice<M>,
  settings: ChatSettings,
): void {
  if (!isEngineId(settings.engineId)) return;
  engines.setEngine(settings.engineId);
  const model = engines.models.find(
    (candidate) => candidate.id === settings.modelId && candidate.engine === settings.engineId,
  );
  if (model) engines.chooseModel(model);
}
