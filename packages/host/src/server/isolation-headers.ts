/**
 * Headers that make the host's pages cross-origin isolated, so `SharedArrayBuffer` exists and
 * the Wasm engine (wllama) can run several threads. `credentialless` rather than `require-corp`:
 * a page under `require-corp` may load a cross-origin resource only if it says so (CORP or CORS),
 * and the images the blocks show come from wherever a service put them (a CDN sending no CORP);
 * `credentialless` loads such no-cors resources without cookies instead of blocking them. A browser
 * without `credentialless` leaves the page un-isolated: one thread, nothing broken.
 * Sent on every file the server answers with, so worker scripts from it are isolated too.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'credentialless',
} as const;
