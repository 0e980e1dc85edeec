import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makePng } from './png.js';
import { CORS, json, readScopedRequest, sleep } from './test-http.js';
import { RECORDED_REPLY } from './recording-defaults.js';

export { RECORDED_REPLY };

/** One call the recording server answered. */
export interface RecordedCall {
  session: string;
  /** The path after the session, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A scripted answer for a session's next call (used up in order). */
export interface ScriptedFailure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a session answers: its reply text, how fast it streams, and failures to play first. */
export interface SessionScript {
  reply?: string;
  /** Milliseconds between streamed words (a reply slow enough to stop). */
  pieceDelayMs?: number;
  failures?: ScriptedFailure[];
  /** The model ids `GET …/models` lists (default: recorded-large, recorded-small). */
  models?: string[];
}

export interface RecordingServer {
  /** Origin and port, e.g. `http://127.0.0.1:4567`. */
  url: string;
  /** The OpenAI-compatible base URL of a session: `${url}/${session}/v1`. */
  baseUrl(session: string): string;
  /** Calls recorded for a session, oldest first. */
  calls(session: string): RecordedCall[];
  script(session: string, script: SessionScript): void;
  close(): Promise<void>;
}

function chunk(delta: Record<string, unknown>, finish: string | null = null, usage?: Record<string, number>): string {
  const payload = {
    id: 'chatcmpl-rec',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'recorded',
    choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  };
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/**
 * An OpenAI-compatible server on 127.0.0.1 that records every request, so tests
 * can assert what an engine sent (the answer alone proves little). Paths are
 * `/<session>/v1/…`, one session per test: chat completions (streamed or not),
 * image generations (real PNGs of the requested size, capped at 256 px a side),
 * `GET /<session>/log` (the session's calls, for browser tests) and `POST
 * /<session>/script` (a {@link SessionScript}).
 */
export async function startRecordingServer(): Promise<RecordingServer> {
  const calls: RecordedCall[] = [];
  const scripts = new Map<string, SessionScript>();

  const server = createServer((request, response) => {
    void (async () => {
      // A session named `nocors-…` answers without CORS headers, as a server that does not
      // allow web pages: the browser withholds its answers.
      if (/^\/nocors-/.test(request.url ?? '')) {
        response.writeHead(request.method === 'OPTIONS' ? 204 : 200, { 'content-type': 'application/json' });
        response.end(request.method === 'OPTIONS' ? undefined : '{"data":[]}');
        return;
      }
      const scoped = await readScopedRequest(request, response);
      if (!scoped) return;
      const { scope: session, path, raw } = scoped;
      const body = scoped.body ?? { unparsed: raw };
      if (path === '/log' && request.method === 'GET')
        return json(
          response,
          200,
          calls.filter((call) => call.session === session),
        );
      if (path === '/script' && request.method === 'POST') {
        scripts.set(session, body);
        return json(response, 200, { ok: true });
      }
      calls.push({ session, path, headers: request.headers, body });
      const script = scripts.get(session) ?? {};
      const failure = script.failures?.shift();
      if (failure)
        return json(
          response,
          failure.status,
          failure.body ?? {
            error: { message: 'scripted failure', type: 'server_error' },
          },
          failure.headers,
        );

      if (path.endsWith('/models') && request.method === 'GET')
        return json(response, 200, {
          object: 'list',
          data: (script.models ?? ['recorded-large', 'recorded-small']).map((id) => ({ id, object: 'model' })),
        });
      if (path.endsWith('/images/generations')) {
        const n = typeof body['n'] === 'number' ? body['n'] : 1;
        const size = typeof body['size'] === 'string' ? body['size'] : '256x256';
        const [width = 64, height = 64] = size.split('x').map((value) => Math.min(Number(value) || 64, 256));
        return json(response, 200, {
          created: 1,
          data: Array.from({ length: n }, (_, index) => ({
            b64_json: makePng(width, height, index + 1).toString('base64'),
          })),
        });
      }
      if (!path.endsWith('/chat/completions'))
        return json(response, 404, {
          error: { message: `nothing at ${path}` },
        });

      const reply = script.reply ?? RECORDED_REPLY;
      const usage = {
        prompt_tokens: 12,
        completion_tokens: reply.split(' ').length,
        total_tokens: 12 + reply.split(' ').length,
      };
      if (body['stream'] !== true) {
        return json(response, 200, {
          id: 'chatcmpl-rec',
          object: 'chat.completion',
          created: 1,
          model: 'recorded',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: reply },
              finish_reason: 'stop',
            },
          ],
          usage,
        });
      }
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        ...CORS,
      });
      response.flushHeaders();
      for (const word of reply.split(/(?<= )/)) {
        if (response.destroyed) return;
        response.write(chunk({ content: word }));
        if (script.pieceDelayMs) await sleep(script.pieceDelayMs);
      }
      response.write(chunk({}, 'stop'));
      response.write(chunk({}, null, usage));
      response.end('data: [DONE]\n\n');
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    url,
    baseUrl: (session) => `${url}/${session}/v1`,
    calls: (session) => calls.filter((call) => call.session === session),
    script: (session, script) => scripts.set(session, script),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
