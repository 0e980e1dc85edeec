// Figures of the reliability suite (#12): each suite records what it tried and what went
// wrong, and `npm test` prints them all at the end (scripts/reliability-summary.mjs).
// Node tests write the file directly; browser tests go through the WTR plugin's
// `reliability-figures` command, which writes the same file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RELIABILITY_DIR = join(process.cwd(), 'test-results', 'reliability');

/** One figure: what was counted, how many, and the most that is acceptable (a target). */
export interface ReliabilityFigure {
  label: string;
  value: number;
  /** When set, the summary marks the figure FAIL if `value` exceeds it. */
  max?: number;
  /** When set, the summary marks the figure FAIL if `value` is below it. */
  min?: number;
  /**
   * A most aimed for but not yet held on every machine: the summary says MISSED without failing (`max` is the hard
   * limit).
   */
  goal?: number;
  unit?: string;
}

/** Records (replaces) the figures of one suite, named e.g. `host-server-fuzz`. */
export function recordFigures(suite: string, figures: ReliabilityFigure[]): void {
  mkdirSync(RELIABILITY_DIR, { recursive: true });
  writeFileSync(join(RELIABILITY_DIR, `${suite}.json`), JSON.stringify({ suite, figures }, null, 2));
}
