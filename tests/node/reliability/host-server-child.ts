// The host server in a process of its own, for host-server-fuzz.test.ts: a request that kills
// it shows up as this process exiting (in the vitest worker an unhandled rejection would be
// swallowed by vitest's own handler, and the "crash" would go uncounted).
// Prints `LISTENING <url>` once it serves.
import { startHostServer } from '../../../packages/host/src/server/host-server.js';

const env = process.env;
const running = await startHostServer({
  distDir: env['FUZZ_DIST'] ?? '',
  port: 0,
  host: '127.0.0.1',
  service: {
    ...(env['FUZZ_UPSTREAM'] ? { baseUrl: env['FUZZ_UPSTREAM'] } : {}),
    ...(env['FUZZ_KEY'] ? { apiKey: env['FUZZ_KEY'] } : {}),
    allowedChatModels: ['fuzz-small', 'fuzz-medium'],
    allowedImageModels: ['fuzz-image'],
    maxTokens: 256,
    maxImages: 2,
    timeoutMs: 5000,
    log: () => {},
  },
  allowedBlockOrigins: [],
  allowedHosts: [],
  warn: () => {},
});
process.stdout.write(`LISTENING ${running.url}\n`);
