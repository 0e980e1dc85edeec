import { defineConfig } from 'vitest/config';
import { sourceResolve } from './workspace-conditions.mjs';

// The size budgets measure dist/, so they run after the build (scripts/test.mjs), not with the other Node tests.
export default defineConfig({
  ...sourceResolve,
  test: {
    environment: 'node',
    include: ['tests/node/budgets.test.ts'],
  },
});
