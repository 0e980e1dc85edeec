// Settings both web-test-runner configs share.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { testServersPlugin } from '../tests/servers/wtr-plugin.mjs';
import { chromiumArgs, findChromium } from './chromium-path.mjs';

/** A Playwright launcher driving the system Chromium with the closed-network flags. */
export function chromium({ webgpu = false, exposeGc = false } = {}) {
  return playwrightLauncher({
    product: 'chromium',
    launchOptions: {
      executablePath: findChromium(),
      headless: true,
      // exposeGc: timing tests collect garbage between measurements (window.gc).
      args: [...chromiumArgs({ webgpu }), ...(exposeGc ? ['--js-flags=--expose-gc'] : [])],
    },
  });
}

export const shared = {
  // Workspace packages resolve to their sources (workspace-conditions.mjs).
  nodeResolve: { exportConditions: ['@ai-blocks/source', 'browser', 'development'] },
  plugins: [esbuildPlugin({ ts: true, target: 'esnext', tsconfig: 'tsconfig.json' }), testServersPlugin()],
  concurrency: 1,
  // Lit's dev-mode banner repeats in every test file; other logs still show.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 300000,
};
