// The local llama.cpp servers the WTR plugin starts (tests/servers/wtr-plugin.mjs).

interface ModelServerUrls {
  model?: string;
  slowModel?: string;
}

/**
 * The URL of a local llama.cpp server, or a failure saying why there is none. Never a skip:
 * a skipped test of the real part would leave the run green with the part untested.
 */
export function requireModelServer(servers: ModelServerUrls, which: 'model' | 'slowModel'): string {
  const url = servers[which];
  if (!url) {
    throw new Error(
      `The local llama.cpp model server (${which}) did not start, so this test cannot run: ` +
        "install it with `node tests/model-server/install.mjs` (the test servers' log says why it failed).",
    );
  }
  return url;
}
