import { createPromptApiEngine, probeBuiltInAi, streamText, type BuiltInAiGlobal } from '@ai-blocks/runtime';
import { expect } from '@open-wc/testing';
import { installFakeBuiltInAi } from '../../helpers/fake-language-model.js';

/** A fresh object holding the fake, so the page's own (Debian Chromium's) LanguageModel stays. */
function fakeGlobal(options: Parameters<typeof installFakeBuiltInAi>[0] = {}) {
  const global: BuiltInAiGlobal = {};
  const fake = installFakeBuiltInAi(options, global);
  return { global, fake };
}

async function collect(run: ReturnType<typeof streamText>): Promise<string[]> {
  const deltas: string[] = [];
  for await (const delta of run.textStream) deltas.push(delta);
  return deltas;
}

describe('the Prompt API engine (Chrome’s built-in model) with a fake LanguageModel', () => {
  it('streams the reply with the system prompt and history as initialPrompts, then ends the session', async () => {
    const { global, fake } = fakeGlobal({ reply: 'Paris is the capital of France.' });
    const engine = createPromptApiEngine({ global });
    const run = streamText({
      engine,
      system: 'Answer briefly.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Capital of France?' },
      ],
    });
    const deltas = await collect(run);
    const outcome = await run.outcome;
    expect(outcome.status).to.equal('complete');
    expect(outcome.text).to.equal('Paris is the capital of France.');
    expect(deltas.length).to.be.greaterThan(1);
    const perCall = fake.calls.create.at(-1);
    expect(perCall?.initialPrompts).to.deep.equal([
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
    ]);
    expect(perCall?.expectedInputs).to.deep.equal([{ type: 'text', languages: ['en'] }]);
    expect(perCall?.expectedOutputs).to.deep.equal([{ type: 'text', languages: ['en'] }]);
    expect(fake.calls.prompts.at(-1)?.input).to.equal('Capital of France?');
    expect(outcome.usage?.inputTokens).to.be.greaterThan(0);
    expect(outcome.usage?.outputTokens).to.equal(Math.ceil('Paris is the capital of France.'.length / 4));
    // The per-call session is destroyed once the answer is complete.
    expect(fake.calls.destroyed).to.equal(1);
  });

  it('stops on abort as an outcome, keeping the partial text', async () => {
    const reply = Array.from({ length: 40 }, (_, i) => `word${String(i)}`).join(' ');
    const { global } = fakeGlobal({ reply, chunkDelayMs: 20 });
    const abort = new AbortController();
    const run = streamText({
      engine: createPromptApiEngine({ global }),
      messages: [{ role: 'user', content: 'Count' }],
      abortSignal: abort.signal,
    });
    let seen = '';
    for await (const delta of run.textStream) {
      seen += delta;
      if (seen.split(' ').length > 3) abort.abort();
    }
    const outcome = await run.outcome;
    expect(outcome.status).to.equal('aborted');
    expect(outcome.text.length).to.be.greaterThan(0);
    expect(reply.startsWith(outcome.text)).to.equal(true);
    expect(outcome.text.length).to.be.lessThan(reply.length);
  });

  it('reports sampling options the page API does not take as warnings', async () => {
    const { global } = fakeGlobal();
    const run = streamText({
      engine: createPromptApiEngine({ global }),
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.2,
      maxOutputTokens: 50,
      stopSequences: ['END'],
    });
    const outcome = await run.outcome;
    expect(outcome.status).to.equal('complete');
    expect(outcome.warnings?.map((warning) => warning.setting)).to.deep.equal([
      'temperature',
      'maxOutputTokens',
      'stopSequences',
    ]);
  });

  it('passes a JSON schema as responseConstraint for structured output', async () => {
    const { global, fake } = fakeGlobal({ reply: '{"city":"Paris"}' });
    const engine = createPromptApiEngine({ global });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const result = await engine.doStream({
      messages: [{ role: 'user', content: 'Capital of France as JSON' }],
      responseFormat: { type: 'json', schema },
    });
    const reader = result.stream.getReader();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.type === 'text-delta') text += value.delta;
    }
    expect(JSON.parse(text)).to.deep.equal({ city: 'Paris' });
    expect(fake.calls.prompts.at(-1)?.options.responseConstraint).to.deep.equal(schema);
  });

  for (const legacyNames of [false, true]) {
    const names = legacyNames ? 'inputQuota' : 'contextWindow';
    it(`reports a prompt that overflows the context as INPUT_TOO_LONG (${names} names)`, async () => {
      const { global, fake } = fakeGlobal({ contextWindow: 64, legacyNames });
      const run = streamText({
        engine: createPromptApiEngine({ global }),
        messages: [{ role: 'user', content: 'x'.repeat(400) }],
      });
      const outcome = await run.outcome;
      expect(outcome.status).to.equal('error');
      expect(outcome.error?.code).to.equal('INPUT_TOO_LONG');
      expect(outcome.error?.message).to.contain('64');
      // Measured before prompting: nothing was sent.
      expect(fake.calls.prompts).to.have.length(0);
    });
  }

  it('maps a history too long for the context (QuotaExceededError from create) to INPUT_TOO_LONG', async () => {
    const { global } = fakeGlobal({ contextWindow: 32 });
    const engine = createPromptApiEngine({ global });
    await engine.load();
    const outcome = await streamText({
      engine,
      messages: [
        { role: 'user', content: 'y'.repeat(300) },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'again' },
      ],
    }).outcome;
    expect(outcome.error?.code).to.equal('INPUT_TOO_LONG');
  });

  it('needs a click to download: create() without user activation is refused with an actionable error', async () => {
    const { global, fake } = fakeGlobal({ availability: 'downloadable' });
    const engine = createPromptApiEngine({ global });
    expect(await engine.availability()).to.equal('downloadable');
    const outcome = await streamText({ engine, messages: [{ role: 'user', content: 'Hi' }] }).outcome;
    expect(outcome.status).to.equal('error');
    expect(outcome.error?.code).to.equal('ENGINE_UNAVAILABLE');
    expect(outcome.error?.message).to.contain('click');
    expect(fake.calls.createWithActivation).to.deep.equal([false]);
  });

  it('probes: no LanguageModel, unavailable, downloadable, and a permissions policy that blocks it', async () => {
    expect(await probeBuiltInAi({})).to.equal('no-api');
    expect(await probeBuiltInAi(fakeGlobal({ availability: 'unavailable' }).global)).to.equal('unavailable');
    expect(await probeBuiltInAi(fakeGlobal({ availability: 'downloadable' }).global)).to.equal('downloadable');
    const blocked = fakeGlobal().global;
    blocked.document = { featurePolicy: { allowsFeature: (feature: string) => feature !== 'language-model' } };
    expect(await probeBuiltInAi(blocked)).to.equal('blocked');
  });

  it('sees Debian Chromium’s real LanguageModel answer unavailable (no model in this browser)', async () => {
    expect(typeof (globalThis as { LanguageModel?: unknown }).LanguageModel).to.equal('function');
    expect(await probeBuiltInAi()).to.equal('unavailable');
  });
});

describe('Chrome’s built-in model in a cross-origin frame (this Chromium’s own permissions policy)', () => {
  /** Loads the probe page from the other loopback name (another origin) and returns what it saw. */
  async function probeInFrame(allow: string | undefined): Promise<unknown> {
    const url = new URL('/tests/browser/engines/prompt-api-frame.html', location.href);
    url.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    const frame = document.createElement('iframe');
    if (allow !== undefined) frame.allow = allow;
    const answer = new Promise<unknown>((resolve) => {
      addEventListener('message', function listen(event: MessageEvent<{ probe?: unknown }>) {
        if (event.source !== frame.contentWindow) return;
        removeEventListener('message', listen);
        resolve(event.data.probe);
      });
    });
    frame.src = url.href;
    document.body.append(frame);
    try {
      return await answer;
    } finally {
      frame.remove();
    }
  }

  it('is blocked without allow="language-model", and asks the model with it', async () => {
    expect(await probeInFrame(undefined)).to.equal('blocked');
    // With the permission, Debian's Chromium answers what it answers the top page: no model.
    expect(await probeInFrame('language-model')).to.equal('unavailable');
  });
});
