import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostServer, type RunningHostServer } from '../../../packages/host/src/server/host-server.js';
import { NOT_CONFIGURED_MESSAGE } from '../../../packages/host/src/server/service-proxy.js';

/** A stand-in for an OpenAI-compatible API that records what it was sent. */
async function fakeOpenAi(status = 200) {
  const received: { url: string; authorization: string | undefined; body: Record<string, unknown> }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ url: request.url ?? '', authorization: request.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        status === 200
          ? JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi from upstream' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 } })
          : JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests' } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, received, close: () => new Promise<void>((resolve) => server.close(() => { resolve(); })) };
}

async function post(url: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as { data?: { choices?: { message?: { content?: string } }[] }; errors?: { code: string; message: string }[] };
}

describe('host server', () => {
  let distDir = '';
  beforeAll(async () => {
    distDir = await mkdtemp(join(tmpdir(), 'host-dist-'));
    await mkdir(join(distDir, 'host'));
    await mkdir(join(distDir, 'blocks', 'ai-text'), { recursive: true });
    await writeFile(join(distDir, 'host', 'index.html'), '<!doctype html><title>host</title>');
    await writeFile(join(distDir, 'blocks', 'ai-text', 'main.js'), 'module.exports = {}');
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
      const type = (await (await fetch(new URL('types/entity-type/ai-text-block/v/1', server.url))).json()) as { $id: string; kind: string };
      expect(type).toMatchObject({ kind: 'entityType', $id: new URL('types/entity-type/ai-text-block/v/1', server.url).href });
    } finally {
      await server.close();
    }
  });

  it('answers service calls with FORBIDDEN and what to set when no AI service is configured', async () => {
    const server = await startHostServer({ distDir, service: {} });
    try {
      const answer = await post(new URL('api/service/openaiCompleteChat', server.url).href, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
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
    const server = await startHostServer({ distDir, service: { baseUrl: upstream.url, apiKey: 'sk-secret', chatModel: 'local-model' } });
    try {
      const answer = await post(new URL('api/service/openaiCompleteChat', server.url).href, { model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'hi' }] });
      expect(answer.data?.choices?.[0]?.message?.content).toBe('Hi from upstream');
      expect(upstream.received).toHaveLength(1);
      expect(upstream.received[0]).toMatchObject({ url: '/v1/chat/completions', authorization: 'Bearer sk-secret', body: { model: 'local-model', stream: false } });
      expect(JSON.stringify(answer)).not.toContain('sk-secret');
    } finally {
      await server.close();
      await upstream.close();
    }
  });

  it('maps an upstream rate limit to TOO_MANY_REQUESTS with the vendor message', async () => {
    const upstream = await fakeOpenAi(429);
    const server = await startHostServer({ distDir, service: { baseUrl: upstream.url } });
    try {
      const answer = await post(new URL('api/service/openaiCreateImage', server.url).href, { prompt: 'a cat', n: 1 });
      expect(answer.errors?.[0]?.code).toBe('TOO_MANY_REQUESTS');
      expect(answer.errors?.[0]?.message).toContain('Rate limit reached');
      expect(upstream.received[0]?.url).toBe('/v1/images/generations');
    } finally {
      await server.close();
      await upstream.close();
    }
  });
});
