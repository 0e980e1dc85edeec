// Browser tests whose figures are main-thread times (the hostile-Markdown suite's longest task):
// run on their own, before the other browser tests, so that no earlier test's leftover work
// (a model server still generating, a browser collecting garbage) is counted against them.
import { chromium, shared } from './scripts/wtr-shared.mjs';

export const timingFiles = ['tests/browser/reliability/hostile-markdown.test.ts'];

export default {
  ...shared,
  files: timingFiles,
  browsers: [chromium({ exposeGc: true })],
};
