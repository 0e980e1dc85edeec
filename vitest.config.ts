import { defineConfig } from 'vitest/config';

// Node-side tests: pure logic (selection, stream parsing, errors, schemas, persistence).
export default defineConfig({
  test: {
    environment: 'node',
    include: [
      'tests/node/**/*.test.ts',
      'shared-runtime/test/node/**/*.test.ts',
      'packages/*/test/node/**/*.test.ts',
      'block-metadata/test/**/*.test.ts',
    ],
    testTimeout: 20000,
  },
});
