// Browser tests that need a cross-origin isolated page (SharedArrayBuffer, so threads in
// WebAssembly): every response carries COOP/COEP headers.
import { chromium, shared } from './scripts/wtr-shared.mjs';

export default {
  ...shared,
  files: ['tests/isolated/**/*.test.ts'],
  browsers: [chromium()],
  middleware: [
    function crossOriginIsolation(context, next) {
      context.set('Cross-Origin-Opener-Policy', 'same-origin');
      context.set('Cross-Origin-Embedder-Policy', 'require-corp');
      context.set('Cross-Origin-Resource-Policy', 'cross-origin');
      return next();
    },
  ],
};
