import { defineConfig } from 'vitest/config';
import { sourceResolve } from './workspace-conditions.mjs';

// Packaging checks: they build, pack and serve (slow), so they run as their own step of scripts/test.mjs.
export default defineConfig({
  ...sourceResolve,
  test: {
    environment: 'node',
    include: ['tests/packaging/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One at a time: each builds or installs, and the machine has few cores.
    fileParallelism: false,
  },
});
