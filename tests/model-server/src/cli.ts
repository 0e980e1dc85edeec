// `npm run model-server -- [--model path.gguf] [--port 8080] [--threads N]`: serves a GGUF over
// the OpenAI API on loopback. Without --model it generates and serves the tiny test model.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateLlamaGguf } from '../../../packages/test-models/src/index.js';
import { startModelServer } from './server.js';

const { values } = parseArgs({ options: { model: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, threads: { type: 'string' } } });
let modelPath = values.model;
if (!modelPath) {
  modelPath = join(tmpdir(), 'ai-blocks-tiny.gguf');
  writeFileSync(modelPath, generateLlamaGguf());
  console.log(`No --model given: serving the generated tiny test model (${modelPath}).`);
}
const server = await startModelServer({
  modelPath,
  port: Number(values.port ?? 8080),
  ...(values.host ? { host: values.host } : {}),
  ...(values.threads ? { threads: Number(values.threads) } : {}),
});
console.log(`Model server for ${server.modelId} at ${server.url} (OpenAI-compatible: /models, /chat/completions)`);
