import { describe, expect, it } from 'vitest';
import { checkConnection, CONNECTION_PRESETS } from '../../../shared-runtime/src/connect/model-connection.js';

interface Seen {
  url: string;
  init: RequestInit | undefined;
}

/** A fetch that answers each call with the next of `answers` (a Response, or an error to throw). */
function scriptedFetch(answers: (Response | Error)[]): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    seen.push({ url: input instanceof Request ? input.url : input.toString(), init });
    const next = answers.shift();
    if (!next) return Promise.reject(new Error('no scripted answer'));
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { fetch: fetchFn, seen };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const openai = { kind: 'openai-compatible' as const, baseURL: 'https://api.example.com/v1/', apiKey: 'sk-1' };

describe('checking a connection a person enters', () => {
  it('lists the models, sorted and without repeats, asking <base>/models with the key as a bearer token', async () => {
    const { fetch, seen } = scriptedFetch([json(200, { data: [{ id: 'b' }, { id: 'a' }, { id: 'b' }] })]);
    expect(await checkConnection(openai, { fetch })).toEqual({ ok: true, models: ['a', 'b'] });
    expect(seen[0]?.url).toBe('https://api.example.com/v1/models');
    expect(seen[0]?.init?.headers).toEqual({ authorization: 'Bearer sk-1' });
  });

  it('sends Anthropic’s headers (key, version, browser access) and no bearer token', async () => {
    const { fetch, seen } = scriptedFetch([json(200, { data: [{ id: 'claude-x', display_name: 'Claude X' }] })]);
    const result = await checkConnection(
      { kind: 'anthropic', baseURL: 'https://api.anthropic.com/v1', apiKey: 'k' },
      {
        fetch,
      },
    );
    expect(result).toEqual({ ok: true, models: ['claude-x'] });
    expect(seen[0]?.init?.headers).toEqual({
      'x-api-key': 'k',
      'anthropic-version': '2023-06-01',
      'anthropic-dangerous-direct-browser-access': 'true',
    });
  });

  it('counts a server without a model list as connected, with no list', async () => {
    expect(await checkConnection(openai, { fetch: scriptedFetch([json(404, {})]).fetch })).toEqual({
      ok: true,
      models: undefined,
    });
    expect(await checkConnection(openai, { fetch: scriptedFetch([json(200, '<html>')]).fetch })).toEqual({
      ok: true,
      models: undefined,
    });
  });

  it('reports a refused key as AUTHENTICATION with the server’s words', async () => {
    const { fetch } = scriptedFetch([json(401, { error: { message: 'Incorrect API key', code: 'invalid_api_key' } })]);
    const result = await checkConnection(openai, { fetch });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('answer');
    expect(result.error.code).toBe('AUTHENTICATION');
    expect(result.error.message).toContain('Incorrect API key');
    expect(result.error.message).not.toContain('sk-1');
  });

  it('tells a server that answered but withheld from the page (CORS) from one that is not there', async () => {
    const cors = scriptedFetch([new TypeError('Failed to fetch'), new Response(null, { status: 200 })]);
    const blocked = await checkConnection(openai, { fetch: cors.fetch });
    expect(blocked).toMatchObject({ ok: false, reason: 'cors' });
    expect(cors.seen[1]?.init?.mode).toBe('no-cors');
    const gone = await checkConnection(openai, {
      fetch: scriptedFetch([new TypeError('Failed to fetch'), new TypeError('Failed to fetch')]).fetch,
    });
    expect(gone).toMatchObject({ ok: false, reason: 'unreachable' });
    if (!gone.ok) expect(gone.error.message).toContain('Could not reach api.example.com');
  });

  it('says how long it waited for a server that never answers', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          reject(new DOMException('timed out', 'TimeoutError'));
        });
      });
    const result = await checkConnection(openai, { fetch: hanging, timeoutMs: 50 });
    expect(result).toMatchObject({ ok: false, reason: 'unreachable' });
    if (!result.ok) {
      expect(result.error.code).toBe('TIMEOUT');
      expect(result.error.message).toBe('api.example.com did not answer within 0.05 s.');
    }
  });

  it('refuses an http server on another computer from an https page before asking, and a non-URL', async () => {
    const { fetch, seen } = scriptedFetch([]);
    const insecure = await checkConnection(
      { kind: 'openai-compatible', baseURL: 'http://192.168.1.5:8080/v1' },
      { fetch, pageUrl: 'https://notes.example.org/page' },
    );
    expect(insecure).toMatchObject({ ok: false, reason: 'insecure' });
    // This computer is fine: browsers let https pages call http://localhost.
    const local = scriptedFetch([json(200, { data: [] })]);
    expect(
      await checkConnection(
        { kind: 'openai-compatible', baseURL: 'http://localhost:11434/v1' },
        { fetch: local.fetch, pageUrl: 'https://notes.example.org/page' },
      ),
    ).toEqual({ ok: true, models: [] });
    expect(await checkConnection({ kind: 'openai-compatible', baseURL: 'api.example.com' }, { fetch })).toMatchObject({
      ok: false,
      reason: 'answer',
    });
    expect(seen).toEqual([]);
  });

  it('offers the presets people use, each with its own CORS advice where the server has a setting', () => {
    expect(CONNECTION_PRESETS.map((preset) => preset.id)).toEqual([
      'openai',
      'openrouter',
      'ollama',
      'lm-studio',
      'anthropic',
      'custom',
    ]);
    expect(CONNECTION_PRESETS.find((preset) => preset.id === 'ollama')?.corsHelp).toContain('OLLAMA_ORIGINS');
    expect(CONNECTION_PRESETS.find((preset) => preset.id === 'lm-studio')?.corsHelp).toContain('Enable CORS');
  });
});
