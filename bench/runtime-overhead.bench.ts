// Time to first token and total time through the runtime versus a bare fetch + SSE parse,
// against the same local llama.cpp server; and the stream parser's throughput.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAICompatibleEngine, streamText } from '@ai-blocks/runtime';
import { generateLlamaGguf } from '@ai-blocks/test-models';
import { partsFromChatStream } from '../shared-runtime/src/engines/openai-compatible/openai-compatible-engine.js';
import { DEFAULT_TIMEOUTS } from '../shared-runtime/src/provider-utils/retry-policy.js';
import { startModelServer } from '../tests/model-server/src/server.js';

const ROUNDS = 30;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function bareFetch(url: string): Promise<{ ttft: number; total: number; text: string }> {
  const started = performance.now();
  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'tiny',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      temperature: 0,
      stream_options: { include_usage: true },
    }),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  let ttft = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const data = event.replace(/^data: /, '');
      if (data === '[DONE]') continue;
      const content = (JSON.parse(data) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content;
      if (content) {
        if (!ttft) ttft = performance.now() - started;
        text += content;
      }
    }
  }
  return { ttft, total: performance.now() - started, text };
}

async function viaRuntime(url: string): Promise<{ ttft: number; total: number; text: string }> {
  const started = performance.now();
  const run = streamText({
    engine: createOpenAICompatibleEngine({ baseURL: url, model: 'tiny' }),
    messages: [{ role: 'user', content: 'hi' }],
    temperature: 0,
  });
  let ttft = 0;
  for await (const delta of run.textStream) if (!ttft && delta) ttft = performance.now() - started;
  const outcome = await run.outcome;
  return { ttft, total: performance.now() - started, text: outcome.text };
}

async function parserThroughput(chunks: number): Promise<number> {
  const encoder = new TextEncoder();
  const event = (content: string) =>
    'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
    `"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]}\n\n`;
  const payload = encoder.encode(
    Array.from({ length: chunks }, (_, index) => event(`token${index} `)).join('') +
      'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
  );
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // Network-sized pieces.
      for (let offset = 0; offset < payload.length; offset += 16_384)
        controller.enqueue(payload.subarray(offset, offset + 16_384));
      controller.close();
    },
  });
  const started = performance.now();
  const reader = partsFromChatStream(body, { provider: 'bench', timeouts: DEFAULT_TIMEOUTS }).getReader();
  let deltas = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value.type === 'text-delta') deltas += 1;
  }
  if (deltas !== chunks) throw new Error(`parsed ${deltas} of ${chunks}`);
  return chunks / ((performance.now() - started) / 1000);
}

const directory = await mkdtemp(join(tmpdir(), 'bench-'));
const modelPath = join(directory, 'tiny.gguf');
await writeFile(modelPath, generateLlamaGguf());
const server = await startModelServer({ modelPath, threads: 1 });
try {
  // Warm up both paths.
  await bareFetch(server.url);
  await viaRuntime(server.url);
  const bare = { ttft: [] as number[], total: [] as number[] };
  const runtime = { ttft: [] as number[], total: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    // Alternate the order so drift affects both equally.
    const first = round % 2 === 0 ? await bareFetch(server.url) : await viaRuntime(server.url);
    const second = round % 2 === 0 ? await viaRuntime(server.url) : await bareFetch(server.url);
    const [b, r] = round % 2 === 0 ? [first, second] : [second, first];
    if (b.text !== r.text) throw new Error('the two paths disagree');
    bare.ttft.push(b.ttft);
    bare.total.push(b.total);
    runtime.ttft.push(r.ttft);
    runtime.total.push(r.total);
  }
  const throughput = await parserThroughput(50_000);
  const rows = [
    [
      'runtime vs bare fetch: time to first token (median ms)',
      `${median(runtime.ttft).toFixed(2)} vs ${median(bare.ttft).toFixed(2)}`,
      `ratio ${(median(runtime.ttft) / median(bare.ttft)).toFixed(3)} (goal ≤ 1.05)`,
    ],
    [
      'runtime vs bare fetch: total time, 26 tokens (median ms)',
      `${median(runtime.total).toFixed(2)} vs ${median(bare.total).toFixed(2)}`,
      `ratio ${(median(runtime.total) / median(bare.total)).toFixed(3)} (goal ≤ 1.05)`,
    ],
    [
      'stream parser throughput (OpenAI chunks)',
      `${Math.round(throughput).toLocaleString('en')} chunks/s`,
      '50,000 chunks',
    ],
  ];
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; ` +
      `llama.cpp server, tiny model, ${ROUNDS} rounds`,
  );
  for (const [name, value, note] of rows) console.log(`  ${name}: ${value}  [${note}]`);
} finally {
  await server.close();
  await rm(directory, { recursive: true, force: true });
}
