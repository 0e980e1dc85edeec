// `npm run model-server -- [--model path.gguf] [--port 8080] [--threads N]`: serves a GGUF over
// the OpenAI API on loopback. Without --model it generates and serves the tiny test model.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { writeTinyModelToTemp } from '../../../packages/test-models/src/node.js';
import { startModelServer } from './server.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    threads: { type: 'string' },
  },
});
let modelPath = values.model;
let generatedDirectory: string | undefined;
if (!modelPath) {
  modelPath = writeTinyModelToTemp();
  generatedDirectory = dirname(modelPath);
  console.log(`No --model given: serving the generated tiny test model (${modelPath}).`);
}
const server = await startModelServer({
  modelPath,
  port: Number(values.port ?? 8080),
  ...(values.host ? { host: values.host } : {}),
  ...(values.threads ? { threads: Number(values.threads) } : {}),
});
console.log(
  `Model server for ${server.modelId} at ${server.url} ` +
    '(OpenAI-compatible: /models, /chat/completions, /completions). Ctrl-C stops it.',
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().finally(() => {
      if (generatedDirectory) rmSync(generatedDirectory, { recursive: true, force: true });
      process.exit(0);
    });
  });
}
