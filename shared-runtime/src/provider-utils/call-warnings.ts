import type { CallWarning } from '../interface/engine.js';

/**
 * `{ warnings }` saying the engine ignored the call's stop sequences (`details`: why, for
 * people), or nothing when the call had none: an engine never drops an option silently.
 */
export function ignoredStopSequences(
  options: { stopSequences?: string[] | undefined },
  details: string,
): { warnings?: CallWarning[] } {
  return options.stopSequences?.length
    ? { warnings: [{ type: 'unsupported-setting', setting: 'stopSequences', details }] }
    : {};
}
