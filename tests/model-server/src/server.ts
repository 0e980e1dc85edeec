import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import {
  getLlama,
  LlamaLogLevel,
  resolveChatWrapper,
  type ChatHistoryItem,
  type LlamaContext,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';

export interface ModelServerOptions {
  modelPath: string;
  port?: number;
  host?: string;
  /** Context size in tokens (default: the model's, at most 2048). */
  contextSize?: number;
  threads?: number;
  /** Waits this long after each streamed piece: tests use it to stop a reply midway. */
  pieceDelayMs?: number;
}

export interface RunningModelServer {
  url: string;
  /** The model id `/v1/models` lists. */
  modelId: string;
  /** Requests whose client went away before the reply ended (generation was stopped). */
  readonly disconnects: number;
  /** Tokens generated so far, over all requests: shows whether generation went on after a disconnect. */
  readonly generatedTokens: number;
  close(): Promise<void>;
}

interface WireMessage {
  role: string;
  content: unknown;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((part) =>
        typeof part === 'object' && part !== null && 'text' in part ? String((part as { text: unknown }).text) : '',
      )
      .join('');
  return '';
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', ...CORS });
  response.end(JSON.stringify(body));
}

/**
 * An OpenAI-compatible server on loopback backed by llama.cpp through node-llama-cpp's
 * prebuilt CPU binaries: GET /v1/models, POST /v1/chat/completions (with the GGUF's chat
 * template) and POST /v1/completions (raw prompt), streamed or not, with usage and finish
 * reasons `stop`/`length`; CORS for browser pages on other origins (preflight included); a
 * client that disconnects stops the generation. Requests are served one at a time, in order.
 * Not supported: `stop` strings, `n` > 1, tools, logprobs.
 */
export async function startModelServer(options: ModelServerOptions): Promise<RunningModelServer> {
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const model: LlamaModel = await llama.loadModel({ modelPath: options.modelPath });
  const context: LlamaContext = await model.createContext({
    contextSize: Math.min(options.contextSize ?? model.trainContextSize, model.trainContextSize, 4096),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  });
  const sequence = context.getSequence();
  // The chat template stored in the GGUF (node-llama-cpp renders Jinja templates).
  const chatWrapper = resolveChatWrapper(model);
  const modelId = basename(options.modelPath).replace(/\.gguf$/i, '');
  let queue: Promise<unknown> = Promise.resolve();
  let disconnects = 0;
  let generatedTokens = 0;

  interface ClientConnection {
    /** Aborts when the client goes away before the reply is complete. */
    signal: AbortSignal;
    /** Marks the reply complete, so the connection closing afterwards is not a disconnect. */
    finish(): void;
  }

  function watchClient(response: ServerResponse): ClientConnection {
    const abort = new AbortController();
    let finished = false;
    response.on('close', () => {
      // A response that was ended and flushed (an error reply included) is not a disconnect.
      if (!finished && !response.writableFinished) {
        disconnects += 1;
        abort.abort();
      }
    });
    return {
      signal: abort.signal,
      finish: () => {
        finished = true;
      },
    };
  }

  interface Reply {
    text: string;
    outputTokens: number;
    finishReason: 'stop' | 'length';
    /** The client went away before the end. */
    aborted: boolean;
  }

  /**
   * Evaluates `promptTokens` and samples until end of generation, `maxTokens` or `signal`
   * aborts, calling `onPiece` with each new piece of text. Greedy at temperature 0.
   */
  async function generate(
    promptTokens: Token[],
    settings: {
      maxTokens: number | undefined;
      temperature: number;
      signal: AbortSignal;
      onPiece: (piece: string) => void;
    },
  ): Promise<Reply> {
    await sequence.clearHistory();
    const outputTokens: Token[] = [];
    let text = '';
    let finishReason: 'stop' | 'length' = 'stop';
    if (settings.maxTokens === 0) return { text, outputTokens: 0, finishReason: 'length', aborted: false };
    for await (const token of sequence.evaluate(promptTokens, { temperature: settings.temperature })) {
      if (settings.signal.aborted) break;
      if (model.isEogToken(token)) break;
      outputTokens.push(token);
      generatedTokens += 1;
      // Detokenize the whole reply so multi-byte characters split across tokens come out whole.
      const full = model.detokenize(outputTokens);
      const piece = full.slice(text.length);
      text = full;
      if (piece !== '') settings.onPiece(piece);
      if (settings.maxTokens !== undefined && outputTokens.length >= settings.maxTokens) {
        finishReason = 'length';
        break;
      }
      if (options.pieceDelayMs) await new Promise((resolve) => setTimeout(resolve, options.pieceDelayMs));
    }
    return { text, outputTokens: outputTokens.length, finishReason, aborted: settings.signal.aborted };
  }

  /** Serves one chat (`chat: true`) or raw completion request, streamed or not. */
  async function serve(
    kind: 'chat' | 'completion',
    body: Record<string, unknown>,
    response: ServerResponse,
    client: ClientConnection,
  ): Promise<void> {
    let promptTokens: Token[];
    if (kind === 'chat') {
      const messages = Array.isArray(body['messages']) ? (body['messages'] as WireMessage[]) : [];
      const last = messages.at(-1);
      if (!last || last.role !== 'user') {
        sendJson(response, 400, {
          error: { message: 'messages must end with a user message', type: 'invalid_request_error' },
        });
        return;
      }
      const history: ChatHistoryItem[] = [];
      for (const message of messages) {
        const text = textOf(message.content);
        if (message.role === 'system' || message.role === 'developer') history.push({ type: 'system', text });
        else if (message.role === 'assistant') history.push({ type: 'model', response: [text] });
        else history.push({ type: 'user', text });
      }
      // The chat template stored in the GGUF, ending with the generation prompt.
      const state = chatWrapper.generateContextState({ chatHistory: [...history, { type: 'model', response: [] }] });
      promptTokens = state.contextText.tokenize(model.tokenizer);
    } else {
      if (typeof body['prompt'] !== 'string') {
        sendJson(response, 400, { error: { message: 'prompt must be a string', type: 'invalid_request_error' } });
        return;
      }
      const bos = model.tokens.bos;
      promptTokens = [
        ...(bos !== null && model.tokens.shouldPrependBosToken ? [bos] : []),
        ...model.tokenize(body['prompt']),
      ];
    }
    const stream = body['stream'] === true;
    const includeUsage = stream
      ? (body['stream_options'] as { include_usage?: boolean } | undefined)?.include_usage === true
      : true;
    const maxTokens =
      typeof body['max_tokens'] === 'number'
        ? body['max_tokens']
        : typeof body['max_completion_tokens'] === 'number'
          ? body['max_completion_tokens']
          : undefined;
    // llama.cpp's server default; 0 is greedy.
    const temperature = typeof body['temperature'] === 'number' ? body['temperature'] : 0.8;
    if (client.signal.aborted) return;
    const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${Date.now().toString(36)}`;
    const created = Math.floor(Date.now() / 1000);
    const object = kind === 'chat' ? 'chat.completion' : 'text_completion';
    const chunkObject = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    const choice = (content: string | undefined, finishReason: string | null, first = false) =>
      kind === 'chat'
        ? {
            index: 0,
            delta: content === undefined ? {} : first ? { role: 'assistant', content } : { content },
            finish_reason: finishReason,
          }
        : { index: 0, text: content ?? '', finish_reason: finishReason };
    const event = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
    if (stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...CORS });
      if (kind === 'chat')
        response.write(event({ id, object: chunkObject, created, model: modelId, choices: [choice('', null, true)] }));
    }
    const reply = await generate(promptTokens, {
      maxTokens,
      temperature,
      signal: client.signal,
      onPiece: (piece) => {
        if (stream)
          response.write(event({ id, object: chunkObject, created, model: modelId, choices: [choice(piece, null)] }));
      },
    });
    if (reply.aborted) return;
    client.finish();
    const usage = {
      prompt_tokens: promptTokens.length,
      completion_tokens: reply.outputTokens,
      total_tokens: promptTokens.length + reply.outputTokens,
    };
    if (stream) {
      response.write(
        event({
          id,
          object: chunkObject,
          created,
          model: modelId,
          choices: [choice(kind === 'chat' ? undefined : '', reply.finishReason)],
        }),
      );
      if (includeUsage) response.write(event({ id, object: chunkObject, created, model: modelId, choices: [], usage }));
      response.write('data: [DONE]\n\n');
      response.end();
    } else {
      const only =
        kind === 'chat'
          ? { index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: reply.finishReason }
          : { index: 0, text: reply.text, finish_reason: reply.finishReason };
      sendJson(response, 200, { id, object, created, model: modelId, choices: [only], usage });
    }
  }

  const server = createServer((request, response) => {
    void (async () => {
      if (request.method === 'OPTIONS') {
        // Echo the requested headers: the `*` wildcard never covers Authorization.
        const requested = request.headers['access-control-request-headers'];
        response.writeHead(204, {
          ...CORS,
          ...(requested ? { 'access-control-allow-headers': requested } : {}),
          'access-control-max-age': '600',
        });
        response.end();
        return;
      }
      const path = new URL(request.url ?? '/', 'http://model-server.invalid').pathname.replace(/\/+$/, '');
      if (request.method === 'GET' && path === '/v1/models') {
        sendJson(response, 200, {
          object: 'list',
          data: [{ id: modelId, object: 'model', created: 0, owned_by: 'ai-blocks' }],
        });
        return;
      }
      if (request.method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/completions')) {
        let raw = '';
        for await (const part of request) raw += (part as Buffer).toString();
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          sendJson(response, 400, { error: { message: 'The body is not JSON', type: 'invalid_request_error' } });
          return;
        }
        // Listen for a disconnect now: a request may wait in the queue behind another.
        const client = watchClient(response);
        const run = queue.then(() => serve(path === '/v1/completions' ? 'completion' : 'chat', body, response, client));
        queue = run.catch(() => undefined);
        try {
          await run;
        } catch (error) {
          if (!response.headersSent)
            sendJson(response, 500, {
              error: { message: error instanceof Error ? error.message : String(error), type: 'server_error' },
            });
          else response.end();
        }
        return;
      }
      sendJson(response, 404, {
        error: { message: `No route ${request.method ?? ''} ${path}`, type: 'invalid_request_error' },
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}/v1`,
    modelId,
    get disconnects() {
      return disconnects;
    },
    get generatedTokens() {
      return generatedTokens;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      await context.dispose();
      await model.dispose();
    },
  };
}
