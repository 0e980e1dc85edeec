// The size limits of model downloads: light, for the catalogue and the engine factories
// (the download itself, model-download.ts, is the runtime asset model-download.js in a main file).

/** The most a model of unknown size may download (custom URLs): a runaway server stops here. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3;
/** How long a download may go without a byte before it is given up (default). */
export const DEFAULT_DOWNLOAD_IDLE_MS = 30_000;
/** The margin above a model's known size that a download may reach. */
export const DOWNLOAD_SIZE_MARGIN = 0.1;

/** The cap for a model whose size is known: that size plus a margin. */
export function capForSize(bytes: number, margin = DOWNLOAD_SIZE_MARGIN): number {
  return Math.ceil(bytes * (1 + margin));
}
