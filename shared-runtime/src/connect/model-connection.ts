// A cloud model a person connects from a block: the presets they choose from, and the check
// that lists the server's models and says, in words they can act on, why a connection fails
// (wrong key, server not running, or a server that does not allow calls from web pages).
import * as z from 'zod/mini';
import { AiError, AiErrorCode } from '../interface/errors.js';
import { errorFromResponse } from '../provider-utils/api-error.js';

/** Which API a connection speaks. */
export type ConnectionKind = 'openai-compatible' | 'anthropic';

/** A model a person connected: never stored in the graph; in memory unless they ask to be remembered. */
export interface ModelConnection {
  kind: ConnectionKind;
  /** The API base, e.g. `https://api.openai.com/v1`. */
  baseURL: string;
  apiKey?: string;
  /** The text model (may be empty when the person connected the server for images only). */
  model: string;
  /** The image model (AI Image), when the person chose one. */
  imageModel?: string;
}

/** A server a person is likely to connect, with what it needs. */
export interface ConnectionPreset {
  id: string;
  label: string;
  kind: ConnectionKind;
  baseURL: string;
  /** Whether the server refuses calls without a key. */
  needsKey: boolean;
  /** Where to get a key. */
  keyUrl?: string;
  /** How to let a web page call this server, when it does not allow that by default. */
  corsHelp: string;
}

const CORS_GENERIC =
  'The server must answer with Access-Control-Allow-Origin for this page (and allow the Authorization and ' +
  'Content-Type headers). Many servers have a setting for it, often called "CORS" or "allowed origins".';

/** The presets the connect form offers, in its order. */
export const CONNECTION_PRESETS: readonly ConnectionPreset[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    kind: 'openai-compatible',
    baseURL: 'https://api.openai.com/v1',
    needsKey: true,
    keyUrl: 'https://platform.openai.com/api-keys',
    corsHelp: CORS_GENERIC,
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    kind: 'openai-compatible',
    baseURL: 'https://openrouter.ai/api/v1',
    needsKey: true,
    keyUrl: 'https://openrouter.ai/keys',
    corsHelp: CORS_GENERIC,
  },
  {
    id: 'ollama',
    label: 'Ollama on this computer',
    kind: 'openai-compatible',
    baseURL: 'http://localhost:11434/v1',
    needsKey: false,
    corsHelp:
      'Ollama answers web pages only from origins it is told about: quit it and start it again with ' +
      'OLLAMA_ORIGINS set to this page’s origin, e.g. OLLAMA_ORIGINS="ORIGIN" ollama serve.',
  },
  {
    id: 'lm-studio',
    label: 'LM Studio on this computer',
    kind: 'openai-compatible',
    baseURL: 'http://localhost:1234/v1',
    needsKey: false,
    corsHelp:
      'In LM Studio, open the Developer tab’s server settings and turn on “Enable CORS”, then start the server.',
  },
  {
    id: 'anthropic',
    label: 'Anthropic',
    kind: 'anthropic',
    baseURL: 'https://api.anthropic.com/v1',
    needsKey: true,
    keyUrl: 'https://console.anthropic.com/settings/keys',
    corsHelp: CORS_GENERIC,
  },
  {
    id: 'custom',
    label: 'Another OpenAI-compatible server',
    kind: 'openai-compatible',
    baseURL: '',
    needsKey: false,
    corsHelp: CORS_GENERIC,
  },
];

/** What a check found: the server's models (undefined when it offers no list), or why it failed. */
export type ConnectionCheck =
  | { ok: true; models: string[] | undefined }
  | { ok: false; error: AiError; reason: 'cors' | 'unreachable' | 'insecure' | 'answer' };

const modelListSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

/** The request headers a connection's API wants (the key goes here, never in a URL). */
export function connectionHeaders(connection: Pick<ModelConnection, 'kind' | 'apiKey'>): Record<string, string> {
  if (connection.kind === 'anthropic')
    return {
      'x-api-key': connection.apiKey ?? '',
      'anthropic-version': '2023-06-01',
      'anthropic-dangerous-direct-browser-access': 'true',
    };
  return connection.apiKey ? { authorization: `Bearer ${connection.apiKey}` } : {};
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Lists the server's models (`GET <base>/models`), which also tests the address and the key.
 * A server without the list still counts as connected (the person types the model's name).
 * Never throws: failures come back with a reason the form explains.
 */
export async function checkConnection(
  connection: Pick<ModelConnection, 'kind' | 'baseURL' | 'apiKey'>,
  options: { fetch?: typeof fetch; signal?: AbortSignal; timeoutMs?: number; pageUrl?: string } = {},
): Promise<ConnectionCheck> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let url: URL;
  try {
    url = new URL(`${connection.baseURL.replace(/\/+$/, '')}/models`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('not http');
  } catch {
    const message = 'That is not a web address: it should look like https://api.example.com/v1.';
    return { ok: false, reason: 'answer', error: new AiError(AiErrorCode.INVALID_REQUEST, message) };
  }
  const page = options.pageUrl ?? (globalThis as { location?: { href: string } }).location?.href;
  if (page?.startsWith('https:') && url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    const message =
      'This page is served over HTTPS, so the browser blocks calls to an http:// server on another computer. ' +
      'Use the server’s https:// address.';
    return { ok: false, reason: 'insecure', error: new AiError(AiErrorCode.NETWORK, message, { retryable: false }) };
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await doFetch(url, { headers: connectionHeaders(connection), signal });
  } catch (error) {
    options.signal?.throwIfAborted();
    if (timeout.aborted)
      return {
        ok: false,
        reason: 'unreachable',
        error: new AiError(AiErrorCode.TIMEOUT, `${url.host} did not answer within ${String(timeoutMs / 1000)} s.`, {
          cause: error,
        }),
      };
    return diagnoseFailedFetch(url, error, doFetch);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 404 || response.status === 405) return { ok: true, models: undefined };
  if (!response.ok) {
    const provider = connection.kind === 'anthropic' ? 'Anthropic' : url.host;
    return { ok: false, reason: 'answer', error: errorFromResponse(response.status, body, { provider }) };
  }
  const parsed = modelListSchema.safeParse(body);
  // A 200 that is not a model list (a proxy's page, another API): connected, but no list.
  if (!parsed.success) return { ok: true, models: undefined };
  return { ok: true, models: [...new Set(parsed.data.data.map((model) => model.id))].sort() };
}

/**
 * A fetch that failed without an answer: either nothing answered, or the server answered and
 * the browser withheld it because the server does not allow this page (CORS). A `no-cors`
 * request tells them apart: it succeeds (with an opaque answer) only when the server answered.
 */
async function diagnoseFailedFetch(url: URL, error: unknown, doFetch: typeof fetch): Promise<ConnectionCheck> {
  const answered = await doFetch(url, { mode: 'no-cors', signal: AbortSignal.timeout(5000) }).then(
    () => true,
    () => false,
  );
  if (answered)
    return {
      ok: false,
      reason: 'cors',
      error: new AiError(AiErrorCode.NETWORK, `${url.host} does not allow calls from web pages (CORS).`, {
        cause: error,
        retryable: false,
      }),
    };
  return {
    ok: false,
    reason: 'unreachable',
    error: new AiError(
      AiErrorCode.NETWORK,
      `Could not reach ${url.host}: check that the server is running and the address is right.`,
      { cause: error },
    ),
  };
}
