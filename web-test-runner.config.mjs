// Browser tests in real Chromium, in two groups: "browser" (plain) and "webgpu"
// (Chromium started with --enable-unsafe-webgpu). Tests that need cross-origin isolation
// run in their own invocation: see web-test-runner.isolated.config.mjs.
import { chromium, shared } from './scripts/wtr-shared.mjs';
import { timingFiles } from './web-test-runner.timing.config.mjs';

const browserFiles = [
  'tests/browser/**/*.test.ts',
  'blocks/*/test/**/*.test.ts',
  'packages/*/test/browser/**/*.test.ts',
  'shared-runtime/test/browser/**/*.test.ts',
  // Timed on their own: see web-test-runner.timing.config.mjs.
  ...timingFiles.map((file) => `!${file}`),
];

export default {
  ...shared,
  // Used when files are named on the command line (`npx web-test-runner path/to/x.test.ts`).
  browsers: [chromium()],
  groups: [
    { name: 'browser', files: browserFiles, browsers: [chromium()] },
    { name: 'webgpu', files: ['tests/webgpu/**/*.test.ts'], browsers: [chromium({ webgpu: true })] },
  ],
};
