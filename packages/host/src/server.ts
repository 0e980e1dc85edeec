// `npm start`: serves the host page with the three built blocks and prints its URL.
// Binding to a non-loopback HOST prints a warning (startHostServer).
import { parseOrigins } from './page/block-origins.js';
import { startHostServer } from './server/host-server.js';

const distDir = new URL('../../../dist/', import.meta.url).pathname;
const running = await startHostServer({
  distDir,
  port: Number(process.env['PORT'] ?? 8787),
  host: process.env['HOST'] ?? '127.0.0.1',
});
console.log(`AI Blocks host running at ${running.url}`);
if (!process.env['AI_BLOCKS_OPENAI_BASE_URL']) {
  console.log('No AI service configured for the host (AI_BLOCKS_OPENAI_BASE_URL): blocks use in-browser models.');
}
const blockOrigins = parseOrigins(process.env['AI_BLOCKS_ALLOWED_BLOCK_ORIGINS'] ?? '').origins;
if (blockOrigins.length) console.log(`The page may also load blocks from: ${blockOrigins.join(', ')}`);
