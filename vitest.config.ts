import { configDefaults, defineConfig } from 'vitest/config';
import { sourceResolve } from './workspace-conditions.mjs';

// Node-side tests: pure logic (selection, stream parsing, errors, schemas, persistence).
export default defineConfig({
  ...sourceResolve,
  test: {
    environment: 'node',
    include: [
      'tests/node/**/*.test.ts',
      'shared-runtime/test/node/**/*.test.ts',
      'packages/*/test/node/**/*.test.ts',
      'block-metadata/test/**/*.test.ts',
    ],
    // Measures dist/: runs after the build, with vitest.budgets.config.ts.
    exclude: [...configDefaults.exclude, 'tests/node/budgets.test.ts'],
    testTimeout: 20000,
  },
});
