import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostServer, type RunningHostServer } from '../../../packages/host/src/server/host-server.js';
import { bindWarning } from '../../../packages/host/src/server/request-guard.js';
import { NOT_CONFIGURED_MESSAGE } from '../../../packages/host/src/server/service-proxy.js';

/** A stand-in for an OpenAI-compatible API that records what it was sent. */
async function fakeOpenAi(status = 200, errorBody?: (authorization: string) => string) {
  const received: { url: string; authorization: string | undefined; body: Record<string, unknown> }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({
        url: request.url ?? '',
        authorization: request.headers.authorization,
        body: JSON.parse(body) as Record<string, unknown>,
      });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        status === 200
          ? JSON.stringify({
              id: 'c1',
              object: 'chat.completion',
              created: 1,
              model: 'm',
              choices: [
                { index: 0, message: { role: 'assistant', content: 'Hi from upstream' }, finish_reason: 'stop' },
              ],
              usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
            })
          : (errorBody?.(request.headers.authorization ?? '') ??
              JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests' } })),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

/** One request with headers fetch would not let us set (Host, Origin, Sec-Fetch-Site); never rejects on a reset. */
function send(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const request = httpRequest(
      { hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {} },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, text });
        });
      },
    );
    request.on('error', (error) => {
      resolve({ status: 0, text: String(error) });
    });
    request.end(options.body);
  });
}

const chatPayload = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...extra });

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as {
    data?: { choices?: { message?: { content?: string } }[] };
    errors?: { code: string; message: string }[];
  };
}

describe('host server', () => {
  let distDir = '';
  beforeAll(async () => {
    distDir = await mkdtemp(join(tmpdir(), 'host-dist-'));
    await mkdir(join(distDir, 'host'));
    await mkdir(join(distDir, 'blocks', 'ai-text'), { recursive: true });
    await writeFile(join(distDir, 'host', 'index.html'), '<!doctype html><title>host</title>');
    await writeFile(join(distDir, 'blocks', 'ai-text', 'main.js'), 'module.exports = {}');
    // The build writes each type schema at the path of its $id (scripts/build-types.mjs).
    await mkdir(join(distDir, 'types', 'entity-type', 'ai-text-block', 'v'), { recursive: true });
    await writeFile(
      join(distDir, 'types', 'entity-type', 'ai-text-block', 'v', '1'),
      JSON.stringify({ kind: 'entityType', $id: 'https://types.example/entity-type/ai-text-block/v/1' }),
    );
  });
  afterAll(async () => {
    await rm(distDir, { recursive: true, force: true });
  });

  it('serves the page and the blocks (with CORS), and nothing outside dist', async () => {
    const server: RunningHostServer = await startHostServer({ distDir, service: {} });
    try {
      expect(await (await fetch(server.url)).text()).toContain('<title>host</title>');
      const block = await fetch(new URL('blocks/ai-text/main.js', server.url));
      expect(block.headers.get('access-control-allow-origin')).toBe('*');
      expect(block.headers.get('content-type')).toContain('text/javascript');
      expect((await fetch(new URL('blocks/../../../etc/passwd', server.url))).status).toBe(404);
      expect((await fetch(`${server.url}%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
      const typeResponse = await fetch(new URL('types/entity-type/ai-text-block/v/1', server.url));
      expect(typeResponse.headers.get('content-type')).toContain('application/json');
      expect(typeResponse.headers.get('access-control-allow-origin')).toBe('*');
      expect(await typeResponse.json()).toMatchObject({
        kind: 'entityType',
        $id: 'https://types.example/entity-type/ai-text-block/v/1',
      });
      expect((await fetch(new URL('types/entity-type/no-such-type/v/1', server.url))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('answers service calls with FORBIDDEN and what to set when no AI service is configured', async () => {
    const server = await startHostServer({ distDir, service: {} });
    try {
      const answer = await post(new URL('api/service/openaiCompleteChat', server.url).href, {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(answer.errors).toEqual([{ code: 'FORBIDDEN', message: NOT_CONFIGURED_MESSAGE }]);
      expect(answer.errors?.[0]?.message).toContain('AI_BLOCKS_OPENAI_BASE_URL');
      // The page asks first, and then does not offer the service module at all.
      expect(await (await fetch(new URL('api/service/', server.url))).json()).toEqual({ configured: false });
    } finally {
      await server.close();
    }
  });

  it('says the AI service is configured when it is', async () => {
    const server = await startHostServer({ distDir, service: { baseUrl: 'http://127.0.0.1:9/v1' } });
    try {
      expect(await (await fetch(new URL('api/service/', server.url))).json()).toEqual({ configured: true });
    } finally {
      await server.close();
    }
  });

  it('forwards HASH-shaped payloads to the configured endpoint with the key kept on the server', async () => {
    const upstream = await fakeOpenAi();
    const server = await startHostServer({
      distDir,
      service: { baseUrl: upstream.url, apiKey: 'sk-secret', chatModel: 'local-model' },
    });
    try {
      const answer = await post(new URL('api/service/openaiCompleteChat', server.url).href, {
        model: 'gpt-3.5-turbo',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(answer.data?.choices?.[0]?.message?.content).toBe('Hi from upstream');
      expect(upstream.received).toHaveLength(1);
      expect(upstream.received[0]).toMatchObject({
        url: '/v1/chat/completions',
        authorization: 'Bearer sk-secret',
        body: { model: 'local-model', stream: false },
      });
      expect(JSON.stringify(answer)).not.toContain('sk-secret');
    } finally {
      await server.close();
      await upstream.close();
    }
  });

  it('maps an upstream rate limit to TOO_MANY_REQUESTS, a fixed message; the vendor text goes to the log', async () => {
    const upstream = await fakeOpenAi(429);
    const log: string[] = [];
    const server = await startHostServer({
      distDir,
      service: { baseUrl: upstream.url, log: (line) => log.push(line) },
    });
    try {
      const answer = await post(new URL('api/service/openaiCreateImage', server.url).href, { prompt: 'a cat', n: 1 });
      expect(answer.errors).toEqual([
        {
          code: 'TOO_MANY_REQUESTS',
          message: 'The AI service is rate-limiting the host (HTTP 429); try again in a moment.',
        },
      ]);
      expect(log.join('\n')).toContain('Rate limit reached');
      expect(upstream.received[0]?.url).toBe('/v1/images/generations');
    } finally {
      await server.close();
      await upstream.close();
    }
  });

  it('keeps serving after a malformed %-escape or a bad Host header (each answered 4xx)', async () => {
    const server = await startHostServer({ distDir, service: {} });
    try {
      for (const path of ['/%E0%A4%A', '/%', '/blocks/%zz', '/runtime-assets/%C0%AF/x']) {
        expect((await send(server.url, { path })).status, path).toBe(404);
      }
      // The review's repro: a `Host: a b` on /types/ ended the process.
      expect(
        (await send(server.url, { path: '/types/entity-type/ai-text-block/v/1', headers: { host: 'a b' } })).status,
      ).toBe(421);
      expect((await send(server.url, { method: 'DELETE', path: '/' })).status).toBe(405);
      expect(await (await fetch(server.url)).text()).toContain('<title>host</title>');
    } finally {
      await server.close();
    }
  });

  it('answers only Host names of this machine, so a DNS-rebound name cannot reach the page or the proxy', async () => {
    const upstream = await fakeOpenAi();
    const server = await startHostServer({
      distDir,
      service: { baseUrl: upstream.url, apiKey: 'sk-secret' },
      allowedHosts: ['ai-blocks.test'],
    });
    try {
      const { port } = new URL(server.url);
      const json = { 'content-type': 'application/json' };
      for (const host of [`attacker.example:${port}`, `127.0.0.1:${Number(port) + 1}`]) {
        expect((await send(server.url, { path: '/', headers: { host } })).status, host).toBe(421);
        expect(
          (
            await send(server.url, {
              method: 'POST',
              path: '/api/service/openaiCompleteChat',
              headers: { ...json, host, origin: `http://${host}` },
              body: chatPayload(),
            })
          ).status,
          host,
        ).toBe(421);
      }
      expect(upstream.received).toHaveLength(0);
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `ai-blocks.test:${port}`]) {
        expect((await send(server.url, { path: '/', headers: { host } })).status, host).toBe(200);
      }
      const ok = await send(server.url, {
        method: 'POST',
        path: '/api/service/openaiCompleteChat',
        headers: {
          ...json,
          host: `localhost:${port}`,
          origin: `http://localhost:${port}`,
          'sec-fetch-site': 'same-origin',
        },
        body: chatPayload(),
      });
      expect(ok.status).toBe(200);
      expect(upstream.received).toHaveLength(1);
    } finally {
      await server.close();
      await upstream.close();
    }
  });

  it('forwards only same-origin JSON: refuses cross-site origins, cross-site fetch metadata, text/plain', async () => {
    const upstream = await fakeOpenAi();
    const server = await startHostServer({ distDir, service: { baseUrl: upstream.url, apiKey: 'sk-secret' } });
    try {
      const self = new URL(server.url).origin;
      const path = '/api/service/openaiCompleteChat';
      const refused = [
        // The review's repro: a simple (no-preflight) cross-site request.
        { 'content-type': 'text/plain', origin: 'https://evil.example' },
        { 'content-type': 'application/json', origin: 'https://evil.example' },
        { 'content-type': 'application/json', origin: 'null' },
        { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
        { 'content-type': 'application/json', 'sec-fetch-site': 'same-site', origin: self },
        { 'content-type': 'text/plain', origin: self },
        { 'content-type': 'application/x-www-form-urlencoded', origin: self },
        { origin: self },
      ];
      for (const headers of refused) {
        const answer = await send(server.url, { method: 'POST', path, headers, body: chatPayload() });
        expect([403, 415], JSON.stringify(headers)).toContain(answer.status);
        expect((JSON.parse(answer.text) as { errors: { code: string }[] }).errors[0]?.code).toBe('FORBIDDEN');
      }
      expect(upstream.received).toHaveLength(0);
      // The page's own call (what Chromium sends from the host page) is forwarded.
      const answer = await send(server.url, {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', origin: self, 'sec-fetch-site': 'same-origin' },
        body: chatPayload(),
      });
      expect(answer.status).toBe(200);
      expect(upstream.received).toHaveLength(1);
      // Bodies past the limit are refused without reaching the upstream.
      const big = await send(server.url, {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: chatPayload({ padding: 'x'.repeat(2_000_000) }),
      });
      expect(big.status).toBe(413);
      expect(upstream.received).toHaveLength(1);
    } finally {
      await server.close();
      await upstream.close();
    }
  });

  it('bounds model, max_tokens, n and image size by the server configuration; forwards only known fields', async () => {
    const upstream = await fakeOpenAi();
    const server = await startHostServer({
      distDir,
      service: {
        baseUrl: upstream.url,
        allowedChatModels: ['small', 'medium'],
        imageModel: 'img-default',
        allowedImageModels: ['img-default', 'img-hd'],
        maxTokens: 256,
        maxImages: 2,
      },
    });
    try {
      const url = (method: string) => new URL(`api/service/${method}`, server.url).href;
      await post(url('openaiCompleteChat'), {
        model: 'o1-pro',
        n: 8,
        max_tokens: 100_000,
        tools: [{ type: 'function' }],
        messages: [{ role: 'user', content: 'hi' }],
      });
      await post(url('openaiCompleteChat'), {
        model: 'medium',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
      });
      await post(url('openaiCompleteChat'), { messages: [{ role: 'user', content: 'hi' }] });
      expect(upstream.received.map((call) => call.body)).toEqual([
        { model: 'small', max_tokens: 256, stream: false, messages: [{ role: 'user', content: 'hi' }] },
        { model: 'medium', max_tokens: 100, stream: false, messages: [{ role: 'user', content: 'hi' }] },
        { model: 'small', max_tokens: 256, stream: false, messages: [{ role: 'user', content: 'hi' }] },
      ]);
      await post(url('openaiCreateImage'), {
        model: 'dall-e-3',
        prompt: 'a cat',
        n: 8,
        size: '1024x1024',
        quality: 'hd',
      });
      expect(upstream.received[3]?.body).toEqual({
        model: 'img-default',
        prompt: 'a cat',
        n: 2,
        size: '1024x1024',
        quality: 'hd',
      });
      const oddSize = await post(url('openaiCreateImage'), { prompt: 'a cat', size: '8192x8192' });
      expect(oddSize.errors?.[0]?.code).toBe('INVALID_INPUT');
      const noMessages = await post(url('openaiCompleteChat'), { model: 'small' });
      expect(noMessages.errors?.[0]?.code).toBe('INVALID_INPUT');
      expect(upstream.received).toHaveLength(4);
    } finally {
      await server.close();
      await upstream.close();
    }
  });

  it('never echoes key, URL credentials or upstream body to the page (the log gets details, no secrets)', async () => {
    const upstream = await fakeOpenAi(
      500,
      (authorization) => `internal trace: upstream-DETAIL-42 for ${authorization}`,
    );
    const log: string[] = [];
    const servers = [
      await startHostServer({
        distDir,
        service: { baseUrl: upstream.url, apiKey: 'sk-secret-123456', log: (line) => log.push(line) },
      }),
      // The review's repro: credentials in the base URL came back in "Could not reach the AI service: …".
      await startHostServer({
        distDir,
        service: {
          baseUrl: upstream.url.replace('http://', 'http://user:pw-SECRET@'),
          apiKey: 'sk-secret-123456',
          log: (line) => log.push(line),
        },
      }),
    ];
    try {
      const answers = await Promise.all(
        servers.map(async (server) =>
          JSON.stringify(
            await post(new URL('api/service/openaiCompleteChat', server.url).href, JSON.parse(chatPayload())),
          ),
        ),
      );
      for (const answer of answers) {
        for (const secret of ['sk-secret-123456', 'pw-SECRET', 'upstream-DETAIL-42', 'internal trace'])
          expect(answer).not.toContain(secret);
        expect(answer).toContain('INTERNAL_ERROR');
      }
      expect(log.join('\n')).toContain('upstream-DETAIL-42');
      for (const secret of ['sk-secret-123456', 'pw-SECRET']) expect(log.join('\n')).not.toContain(secret);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
      await upstream.close();
    }
  });

  it('warns when it listens on a non-loopback address, and not on loopback', async () => {
    expect(bindWarning('127.0.0.1', 8787)).toBeUndefined();
    expect(bindWarning('::1', 8787)).toBeUndefined();
    expect(bindWarning('localhost', 8787)).toBeUndefined();
    const loopback: string[] = [];
    const quiet = await startHostServer({ distDir, service: {}, warn: (line) => loopback.push(line) });
    await quiet.close();
    expect(loopback).toEqual([]);
    const warnings: string[] = [];
    // Listens on every interface for a moment; nothing but this test's own start/stop happens there.
    const open = await startHostServer({ distDir, service: {}, host: '0.0.0.0', warn: (line) => warnings.push(line) });
    await open.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/listens on 0\.0\.0\.0:\d+, so other machines/);
  });

  it('tells the page which other origins may serve blocks (and no others)', async () => {
    await writeFile(
      join(distDir, 'host', 'index.html'),
      '<!doctype html><meta name="ai-blocks-allowed-block-origins" content="" /><title>host</title>',
    );
    const listed = await startHostServer({
      distDir,
      service: {},
      allowedBlockOrigins: ['https://blocks.example', 'http://127.0.0.1:9999'],
    });
    const plain = await startHostServer({ distDir, service: {} });
    try {
      expect(await (await fetch(listed.url)).text()).toContain(
        '<meta name="ai-blocks-allowed-block-origins" content="https://blocks.example http://127.0.0.1:9999" />',
      );
      expect(await (await fetch(plain.url)).text()).toContain(
        '<meta name="ai-blocks-allowed-block-origins" content="" />',
      );
    } finally {
      await Promise.all([listed.close(), plain.close()]);
      await writeFile(join(distDir, 'host', 'index.html'), '<!doctype html><title>host</title>');
    }
  });
});
