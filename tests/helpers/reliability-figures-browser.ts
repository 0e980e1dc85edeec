// Browser side of tests/helpers/reliability-figures.ts: the WTR plugin writes the file.
import { executeServerCommand } from '@web/test-runner-commands';

export interface ReliabilityFigure {
  label: string;
  value: number;
  max?: number;
  min?: number;
  /** See tests/helpers/reliability-figures.ts. */
  goal?: number;
  unit?: string;
}

/** Records (replaces) the figures of one suite, named e.g. `markdown-xss`. */
export async function recordFigures(suite: string, figures: ReliabilityFigure[]): Promise<void> {
  await executeServerCommand('reliability-figures', { suite, figures });
}
