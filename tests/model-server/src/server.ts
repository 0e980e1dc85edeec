import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { getLlama, LlamaLogLevel, resolveChatWrapper, type ChatHistoryItem, type LlamaContext, type LlamaModel, type Token } from 'node-llama-cpp';

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
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'object' && part !== null && 'text' in part ? String((part as { text: unknown }).text) : '')).join('');
  return '';
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', ...CORS });
  response.end(JSON.stringify(body));
}

/**
 * An OpenAI-compatible server on loopback backed by llama.cpp through node-llama-cpp's
 * prebuilt CPU binaries: GET /v1/models, POST /v1/chat/completions (streamed or not, with
 * usage and finish reasons `stop`/`length`), CORS for browser pages on other origins, and a
 * client that disconnects stops the generation. One generation at a time.
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

  async function complete(body: Record<string, unknown>, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const messages = Array.isArray(body['messages']) ? (body['messages'] as WireMessage[]) : [];
    const last = messages.at(-1);
    if (!last || last.role !== 'user') {
      sendJson(response, 400, { error: { message: 'messages must end with a user message', type: 'invalid_request_error' } });
      return;
    }
    const history: ChatHistoryItem[] = [];
    for (const message of messages.slice(0, -1)) {
      const text = textOf(message.content);
      if (message.role === 'system') history.push({ type: 'system', text });
      else if (message.role === 'assistant') history.push({ type: 'model', response: [text] });
      else history.push({ type: 'user', text });
    }
    const stream = body['stream'] === true;
    const includeUsage = stream ? (body['stream_options'] as { include_usage?: boolean } | undefined)?.include_usage === true : true;
    const maxTokens = typeof body['max_tokens'] === 'number' ? body['max_tokens'] : typeof body['max_completion_tokens'] === 'number' ? body['max_completion_tokens'] : undefined;
    const temperature = typeof body['temperature'] === 'number' ? body['temperature'] : 0.8;
    const abort = new AbortController();
    let finished = false;
    response.on('close', () => {
      if (!finished) {
        disconnects += 1;
        abort.abort();
      }
    });
    const id = `chatcmpl-${Date.now().toString(36)}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: modelId, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    if (stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...CORS });
      response.write(chunk({ role: 'assistant', content: '' }, null));
    }
    await sequence.clearHistory();
    const state = chatWrapper.generateContextState({ chatHistory: [...history, { type: 'user', text: textOf(last.content) }, { type: 'model', response: [] }] });
    const promptTokens = state.contextText.tokenize(model.tokenizer);
    const outputTokens: Token[] = [];
    let text = '';
    let finishReason: 'stop' | 'length' = 'stop';
    for await (const token of sequence.evaluate(promptTokens, { temperature })) {
      if (abort.signal.aborted) break;
      if (model.isEogToken(token)) break;
      outputTokens.push(token);
      // Detokenize the whole reply so multi-byte characters split across tokens come out whole.
      const full = model.detokenize(outputTokens);
      const piece = full.slice(text.length);
      text = full;
      if (stream && piece !== '') response.write(chunk({ content: piece }, null));
      if (maxTokens !== undefined && outputTokens.length >= maxTokens) {
        finishReason = 'length';
        break;
      }
      if (options.pieceDelayMs) await new Promise((resolve) => setTimeout(resolve, options.pieceDelayMs));
    }
    if (abort.signal.aborted) return;
    const usage = { prompt_tokens: promptTokens.length, completion_tokens: outputTokens.length, total_tokens: promptTokens.length + outputTokens.length };
    finished = true;
    if (stream) {
      response.write(chunk({}, finishReason));
      if (includeUsage) response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: modelId, choices: [], usage })}\n\n`);
      response.write('data: [DONE]\n\n');
      response.end();
    } else {
      sendJson(response, 200, { id, object: 'chat.completion', created, model: modelId, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }], usage });
    }
  }

  const server = createServer((request, response) => {
    void (async () => {
      if (request.method === 'OPTIONS') {
        response.writeHead(204, CORS);
        response.end();
        return;
      }
      const path = new URL(request.url ?? '/', 'http://model-server.invalid').pathname.replace(/\/+$/, '');
      if (request.method === 'GET' && path === '/v1/models') {
        sendJson(response, 200, { object: 'list', data: [{ id: modelId, object: 'model', created: 0, owned_by: 'ai-blocks' }] });
        return;
      }
      if (request.method === 'POST' && path === '/v1/chat/completions') {
        let raw = '';
        for await (const part of request) raw += (part as Buffer).toString();
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          sendJson(response, 400, { error: { message: 'The body is not JSON', type: 'invalid_request_error' } });
          return;
        }
        const run = queue.then(() => complete(body, request, response));
        queue = run.catch(() => undefined);
        try {
          await run;
        } catch (error) {
          if (!response.headersSent) sendJson(response, 500, { error: { message: error instanceof Error ? error.message : String(error), type: 'server_error' } });
          else response.end();
        }
        return;
      }
      sendJson(response, 404, { error: { message: `No route ${request.method ?? ''} ${path}`, type: 'invalid_request_error' } });
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
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
      await context.dispose();
      await model.dispose();
    },
  };
}
