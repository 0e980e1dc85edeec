// The model an images answer names (OpenAI-compatible gateways such as OpenRouter or LocalAI, or a
// host's service module, may serve another than the one asked for): each image carries it, and an
// answer that names none, or names it with something that is not a short string, still gives its
// images, without a model of its own.
import { createOpenAICompatibleEngine, createServiceModuleEngine, generateImage } from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';
import { makePng } from '../../servers/png.js';

const png = makePng(8, 8, 1).toString('base64');

/** An OpenAI-compatible engine asking for dall-e-3, whose server answers `answer` (and records the request). */
function openAiEngine(answer: Record<string, unknown>) {
  const requests: Record<string, unknown>[] = [];
  const engine = createOpenAICompatibleEngine({
    baseURL: 'https://gateway.example/v1',
    model: 'dall-e-3',
    fetch: (_url, init) => {
      requests.push(JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as Record<string, unknown>);
      return Promise.resolve(
        new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } }),
      );
    },
  });
  return { engine, requests };
}

const serviceEngine = (answer: Record<string, unknown>) =>
  createServiceModuleEngine({ model: 'dall-e-3', transport: () => Promise.resolve({ data: answer }) });

describe('the model an images answer names', () => {
  it('OpenAI-compatible: each image carries the model the server says it used', async () => {
    const { engine, requests } = openAiEngine({ created: 1, model: 'dall-e-3-2025-hd', data: [{ b64_json: png }] });
    const outcome = await generateImage({ engine, prompt: 'a lighthouse', n: 1 });
    expect(requests[0]?.['model']).toBe('dall-e-3');
    expect(outcome.status).toBe('complete');
    expect(outcome.images.map((image) => image.modelId)).toEqual(['dall-e-3-2025-hd']);
  });

  it('service module: each image carries the model the host’s answer names', async () => {
    const outcome = await generateImage({
      engine: serviceEngine({ created: 1, model: 'gpt-image-1-mini', data: [{ b64_json: png }, { b64_json: png }] }),
      prompt: 'two lighthouses',
      n: 2,
    });
    expect(outcome.images.map((image) => image.modelId)).toEqual(['gpt-image-1-mini', 'gpt-image-1-mini']);
  });

  it.each([
    ['names none (as OpenAI’s own API)', {}],
    ['names null', { model: null }],
    ['names an empty string', { model: '  ' }],
    ['names a number', { model: 42 }],
    ['names an object', { model: { id: 'x' } }],
    ['names an absurdly long string', { model: 'm'.repeat(5000) }],
  ])('an answer that %s still gives its images, with no model of their own', async (_what, extra) => {
    const answer = { created: 1, data: [{ b64_json: png }], ...extra };
    for (const engine of [openAiEngine(answer).engine, serviceEngine(answer)]) {
      const outcome = await generateImage({ engine, prompt: 'x', n: 1 });
      expect(outcome.status).toBe('complete');
      expect(outcome.images).toHaveLength(1);
      expect(outcome.images[0]).not.toHaveProperty('modelId');
    }
  });

  it('trims the name it is given', async () => {
    const { engine } = openAiEngine({ model: ' dall-e-3-2025-hd\n', data: [{ b64_json: png }] });
    expect((await generateImage({ engine, prompt: 'x' })).images[0]?.modelId).toBe('dall-e-3-2025-hd');
  });
});
