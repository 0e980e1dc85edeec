// Browser side of tests/helpers/reliability-figures.ts: the WTR plugin writes the file.
import { executeServerCommand } from '@web/test-runner-commands';
import type { ReliabilityFigure } from './reliability-figures.js';

export type { ReliabilityFigure };

/** Records (replaces) the figures of one suite, named e.g. `markdown-xss`. */
export async function recordFigures(suite: string, figures: ReliabilityFigure[]): Promise<void> {
  await executeServerCommand('reliability-figures', { suite, figures });
}
