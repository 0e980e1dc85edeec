import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateLlamaGguf } from '../../packages/test-models/src/index.js';
import { makePng } from './png.js';
import { CORS, json, readScopedRequest, sleep } from './test-http.js';

/** One request the fault server saw. */
export interface RecordedRequest {
  scenario: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FaultServer {
  /** Base URL of a scenario, e.g. `${server.baseUrl('ok')}/chat/completions`. */
  baseUrl(scenario: string): string;
  requests: RecordedRequest[];
  /** Scenarios whose client went away before the response ended. */
  disconnects: string[];
  /** Forget what was recorded (and restart every counting scenario). */
  reset(): void;
  close(): Promise<void>;
}

export const FAULT_TEXT = ['Hello', ', ', 'world', '!'];

function chatChunk(content: string | null, finish: string | null = null): string {
  return JSON.stringify({
    id: 'chatcmpl-fault',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'fault',
    choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
  });
}
const USAGE_CHUNK = JSON.stringify({
  id: 'chatcmpl-fault',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'fault',
  choices: [],
  usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 },
});

/** The bytes of the `big-model` scenario: byte i is i mod 251 (tests recompute them). */
export function patternBytes(offset: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) bytes[index] = (offset + index) % 251;
  return bytes;
}

function startSse(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...CORS });
  response.flushHeaders();
}

/**
 * A server on 127.0.0.1 that plays scripted failure scenarios of the OpenAI and Anthropic
 * wire formats, and records every request so tests can assert retry counts. The scenario is
 * the first path segment: `/<scenario>/v1/chat/completions`.
 */
export async function startFaultServer(): Promise<FaultServer> {
  const requests: RecordedRequest[] = [];
  const disconnects: string[] = [];
  let tinyModel: Buffer | undefined;
  const count = (scenario: string) => requests.filter((request) => request.scenario === scenario).length;

  const server = createServer((request, response) => {
    void (async () => {
      const scoped = await readScopedRequest(request, response);
      if (!scoped) return;
      const { scope: scenario, path } = scoped;
      const body = scoped.body ?? {};
      requests.push({ scenario, path, headers: request.headers, body });
      let finished = false;
      response.on('finish', () => (finished = true));
      response.on('close', () => {
        if (!finished) disconnects.push(scenario);
      });
      const sendText = async (pieces: string[], gapMs = 0) => {
        for (const piece of pieces) {
          response.write(`data: ${chatChunk(piece)}\n\n`);
          if (gapMs) await sleep(gapMs);
        }
      };
      const finishStream = () => {
        response.write(`data: ${chatChunk(null, 'stop')}\n\n`);
        response.write(`data: ${USAGE_CHUNK}\n\n`);
        response.write('data: [DONE]\n\n');
        response.end();
      };

      if (path.startsWith('/api/service/')) {
        // Plays an embedding host's service-module proxy (the host page POSTs HASH payloads here).
        if (request.method === 'GET') return json(response, 200, { configured: scenario !== 'service-forbidden' });
        if (scenario === 'service-forbidden')
          return json(response, 200, {
            errors: [{ code: 'FORBIDDEN', message: 'The host has no AI service configured.' }],
          });
        if (path.endsWith('/openaiCreateImage')) {
          const n = typeof body['n'] === 'number' ? body['n'] : 1;
          return json(response, 200, {
            data: {
              created: 1,
              data: Array.from({ length: n }, (_, index) => ({
                b64_json: makePng(32, 32, 10 + index).toString('base64'),
              })),
            },
          });
        }
        return json(response, 200, {
          data: {
            id: 'svc',
            object: 'chat.completion',
            created: 1,
            model: 'host-model',
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: 'From the **host** service.' },
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 },
          },
        });
      }

      if (path.endsWith('.gguf')) {
        // Model files: `/<scenario>/v1/…/x.gguf` with scenario ok, truncated, slow-model, missing,
        // or one of the download faults below.
        if (scenario === 'missing') return json(response, 404, { error: 'not found' });
        tinyModel ??= Buffer.from(generateLlamaGguf());
        const octets = { 'content-type': 'application/octet-stream', ...CORS };
        const pour = async (total: number, piece: (offset: number, length: number) => Buffer) => {
          for (let offset = 0; offset < total && !response.destroyed; offset += 65_536) {
            if (!response.write(piece(offset, Math.min(65_536, total - offset))))
              await new Promise((resolve) => response.once('drain', resolve));
          }
        };
        if (scenario === 'big-model') {
          // `…/<bytes>.gguf`: that many bytes of patternBytes, declared.
          const size = Number(/(\d+)\.gguf$/.exec(path)?.[1] ?? '0');
          response.writeHead(200, { ...octets, 'content-length': String(size) });
          await pour(size, patternBytes);
          response.end();
          return;
        }
        if (scenario === 'unsized-model') {
          // No content-length (chunked) and far more than the file: five copies of the tiny model.
          response.writeHead(200, octets);
          const body = Buffer.concat([tinyModel, tinyModel, tinyModel, tinyModel, tinyModel]);
          await pour(body.length, (offset, length) => body.subarray(offset, offset + length));
          response.end();
          return;
        }
        if (scenario === 'huge-declared') {
          // Announces 10 GB, then trickles.
          response.writeHead(200, { ...octets, 'content-length': String(10e9) });
          response.write(tinyModel.subarray(0, 4096));
          await sleep(5000);
          response.socket?.destroy();
          return;
        }
        if (scenario === 'stall-model') {
          // Headers and 4 KB, then nothing for a minute.
          response.writeHead(200, { ...octets, 'content-length': String(tinyModel.length) });
          response.write(tinyModel.subarray(0, 4096));
          await sleep(60_000);
          response.socket?.destroy();
          return;
        }
        if (scenario === 'changing-model') {
          // A mutable URL: each download's last byte differs.
          const changed = Buffer.from(tinyModel);
          changed[changed.length - 1] = (changed.at(-1) ?? 0) ^ count(scenario);
          response.writeHead(200, { ...octets, 'content-length': String(changed.length) });
          response.end(changed);
          return;
        }
        response.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(tinyModel.length),
          ...CORS,
        });
        if (scenario === 'truncated') {
          response.write(tinyModel.subarray(0, tinyModel.length / 2));
          await sleep(20);
          response.socket?.destroy();
          return;
        }
        if (scenario === 'slow-model') {
          // Half now, the rest after 3 s: long enough to watch progress and cancel.
          response.write(tinyModel.subarray(0, tinyModel.length / 2));
          await sleep(3000);
          if (!response.destroyed) response.end(tinyModel.subarray(tinyModel.length / 2));
          return;
        }
        response.end(tinyModel);
        return;
      }

      if (path.endsWith('/images/generations')) {
        if (scenario === 'images-500')
          return json(response, 500, {
            error: { message: 'The server had an error while processing your request.', type: 'server_error' },
          });
        if (scenario === 'images-429-then-ok' && count(scenario) === 1)
          return json(
            response,
            429,
            { error: { message: 'Rate limit reached for images', type: 'requests', code: 'rate_limit_exceeded' } },
            { 'retry-after-ms': '30' },
          );
        if (scenario === 'images-429-no-wait')
          return json(response, 429, {
            error: { message: 'Rate limit reached for images', type: 'requests', code: 'rate_limit_exceeded' },
          });
        if (scenario === 'images-stall-body') {
          // Headers at once, then the body never comes.
          response.writeHead(200, { 'content-type': 'application/json', ...CORS });
          response.write('{"created": 1, "data": [');
          await sleep(60_000);
          response.end(']}');
          return;
        }
        if (scenario === 'images-url-missing')
          return json(response, 200, {
            created: 1,
            data: [
              {
                url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/${scenario}/v1/files/gone.png`,
              },
            ],
          });
        if (scenario === 'images-policy')
          return json(response, 400, {
            error: {
              message: 'Your request was rejected as a result of our safety system.',
              type: 'invalid_request_error',
              code: 'content_policy_violation',
            },
          });
        if (scenario === 'images-ratelimit')
          return json(
            response,
            429,
            { error: { message: 'Rate limit reached for images', type: 'requests', code: 'rate_limit_exceeded' } },
            { 'retry-after': '30' },
          );
        if (scenario === 'images-size')
          return json(response, 400, {
            error: {
              message: "Invalid value: '333x333'. Supported values are: '256x256', '512x512', and '1024x1024'.",
              type: 'invalid_request_error',
              param: 'size',
            },
          });
        if (scenario === 'images-slow') await sleep(10_000);
        const n = typeof body['n'] === 'number' ? body['n'] : 1;
        const size = typeof body['size'] === 'string' ? body['size'] : '64x64';
        const [width = 64, height = 64] = size.split('x').map((value) => Math.min(Number(value) || 64, 256));
        return json(response, 200, {
          created: 1,
          data: Array.from({ length: n }, (_, index) => ({
            b64_json: makePng(width, height, index + 1).toString('base64'),
            revised_prompt: `${String(body['prompt'])} (revised)`,
          })),
        });
      }

      if (path.endsWith('/messages')) {
        // Anthropic Messages.
        const event = (name: string, data: unknown) =>
          response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
        if (scenario === 'anthropic-401')
          return json(response, 401, {
            type: 'error',
            error: { type: 'authentication_error', message: 'invalid x-api-key' },
          });
        startSse(response);
        event('message_start', {
          type: 'message_start',
          message: {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            content: [],
            model: 'claude-fault',
            stop_reason: null,
            usage: { input_tokens: 9, output_tokens: 1 },
          },
        });
        event('content_block_start', {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'text', text: '' },
        });
        event('ping', { type: 'ping' });
        for (const piece of FAULT_TEXT.slice(0, scenario === 'anthropic-error' ? 2 : FAULT_TEXT.length)) {
          event('content_block_delta', {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'text_delta', text: piece },
          });
        }
        if (scenario === 'anthropic-error') {
          event('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
          response.end();
          return;
        }
        event('content_block_stop', { type: 'content_block_stop', index: 0 });
        event('message_delta', {
          type: 'message_delta',
          delta: {
            stop_reason:
              scenario === 'anthropic-refusal'
                ? 'refusal'
                : scenario === 'anthropic-length'
                  ? 'max_tokens'
                  : 'end_turn',
            stop_sequence: null,
          },
          usage: { output_tokens: 4 },
        });
        event('message_stop', { type: 'message_stop' });
        response.end();
        return;
      }

      switch (scenario) {
        case 'ok':
          startSse(response);
          await sendText(FAULT_TEXT);
          return finishStream();
        case 'finish-tostring':
          // A finish reason named like an Object.prototype member (docs/security.md: strings used as keys).
          startSse(response);
          await sendText(FAULT_TEXT);
          response.write(`data: ${chatChunk(null, 'toString')}\n\n`);
          response.write('data: [DONE]\n\n');
          response.end();
          return;
        case 'auth':
          return json(response, 401, {
            error: {
              message: 'Incorrect API key provided: sk-te***',
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          });
        case 'rate-limit-then-ok':
          if (count(scenario) <= 2)
            return json(
              response,
              429,
              { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
              { 'retry-after-ms': '30' },
            );
          startSse(response);
          await sendText(FAULT_TEXT);
          return finishStream();
        case 'rate-limit-long':
          return json(
            response,
            429,
            { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
            { 'retry-after': '3600' },
          );
        case 'quota':
          return json(response, 429, {
            error: {
              message: 'You exceeded your current quota',
              type: 'insufficient_quota',
              code: 'insufficient_quota',
            },
          });
        case 'server-error-then-ok':
          if (count(scenario) === 1)
            return json(response, 500, { error: { message: 'The server had an error', type: 'server_error' } });
          startSse(response);
          await sendText(FAULT_TEXT);
          return finishStream();
        case 'server-error':
          return json(response, 503, { error: { message: 'Service unavailable', type: 'server_error' } });
        case 'context-length':
          return json(response, 400, {
            error: {
              message: "This model's maximum context length is 8 tokens.",
              type: 'invalid_request_error',
              param: 'messages',
              code: 'context_length_exceeded',
            },
          });
        case 'disconnect':
          startSse(response);
          await sendText(FAULT_TEXT.slice(0, 2));
          await sleep(20);
          response.socket?.destroy();
          return;
        case 'malformed':
          startSse(response);
          await sendText(FAULT_TEXT.slice(0, 2));
          response.write('data: {"choices": [{"delta": {"content": "oops"\n\n');
          await sleep(10);
          return finishStream();
        case 'hostile':
          // Model output that tries to run script or load remote content.
          startSse(response);
          await sendText([
            '# Safe heading\n\n',
            '<script>window.__hostile = "script"</script>\n\n',
            '<img src="http://127.0.0.1:9/pixel.png" onerror="window.__hostile = \'onerror\'">\n\n',
            "[click me](javascript:window.__hostile='href')\n\n",
            '<a href="https://example.test" onmouseover="window.__hostile=\'hover\'">link</a>\n\n',
            '<iframe src="javascript:window.__hostile=\'iframe\'"></iframe>\n\n',
            '![tracker](http://127.0.0.1:9/tracker.png)\n',
          ]);
          return finishStream();
        case 'comments':
          startSse(response);
          response.write(': OPENROUTER PROCESSING\n\n');
          await sendText(FAULT_TEXT.slice(0, 2));
          response.write(': OPENROUTER PROCESSING\n\n');
          await sendText(FAULT_TEXT.slice(2));
          return finishStream();
        case 'error-in-stream':
          startSse(response);
          await sendText(FAULT_TEXT.slice(0, 2));
          response.write(`data: ${JSON.stringify({ error: { code: 502, message: 'Upstream provider failed' } })}\n\n`);
          response.end();
          return;
        case 'stall':
          startSse(response);
          await sendText(FAULT_TEXT.slice(0, 1));
          await sleep(60_000);
          response.end();
          return;
        case 'stall-before-first':
          startSse(response);
          await sleep(60_000);
          response.end();
          return;
        case 'slow-headers':
          await sleep(60_000);
          return json(response, 200, {});
        case 'no-done':
          startSse(response);
          await sendText(FAULT_TEXT);
          response.write(`data: ${chatChunk(null, 'length')}\n\n`);
          response.end();
          return;
        case 'no-finish':
          startSse(response);
          await sendText(FAULT_TEXT);
          response.end();
          return;
        case 'slow':
          startSse(response);
          for (let index = 0; index < 400 && !response.destroyed; index += 1) {
            response.write(`data: ${chatChunk(`${index} `)}\n\n`);
            await sleep(25);
          }
          if (!response.destroyed) finishStream();
          return;
        default:
          return json(response, 404, { error: { message: `no scenario ${scenario}` } });
      }
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: (scenario) => `http://127.0.0.1:${port}/${scenario}/v1`,
    requests,
    disconnects,
    reset: () => {
      requests.length = 0;
      disconnects.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
