// "Connect a model" in the text blocks' picker, as a person uses it in the built blocks: a
// service, its address, key and model (listed from the server's /models), a connection test that
// says why a server refuses (wrong key, nothing there, no calls from web pages), the key held in
// memory unless the person asks to be remembered, and the host's own settings winning.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import { choose, typeInto } from '../../helpers/chat-block.js';
import { blockIn, button, mountHost, shadow, until, type BlockElement } from '../../helpers/host-page.js';
import { recordingSession, type RecordingSession } from '../../helpers/recording-server-client.js';
import { RECORDED_REPLY } from '../../servers/recording-defaults.js';

const KEY = 'sk-test-secret-4711';
const STORAGE_KEY = 'ai-blocks:connection';

const status = (block: HTMLElement) => shadow(block).querySelector('[data-connect-status]')?.textContent.trim() ?? '';
const failure = (block: HTMLElement) => shadow(block).querySelector('[data-connect-error]')?.textContent ?? '';
const form = (block: HTMLElement) => shadow(block).querySelector('[data-connect-form]');
const connectionLine = (block: HTMLElement) => shadow(block).querySelector('[data-connection]')?.textContent ?? '';
const engineValue = (block: HTMLElement) => shadow(block).querySelector<HTMLSelectElement>('#engine')?.value;

/** Forgets any connection an earlier test left on this page (memory and storage). */
function forgetConnections(): void {
  Reflect.deleteProperty(globalThis, Symbol.for('ai-blocks.person-connection'));
  localStorage.removeItem(STORAGE_KEY);
}

async function openForm(block: BlockElement): Promise<void> {
  await until(() => button(block, 'open-connect') !== null, 'the Connect a model button');
  button(block, 'open-connect')?.click();
  await until(() => form(block) !== null, 'the connect form', 10_000);
  await block.updateComplete;
}

/** Fills the form for another OpenAI-compatible server (the recording server's session). */
async function fillCustom(block: BlockElement, baseURL: string, key = ''): Promise<void> {
  await choose(block, '#connect-service', 'custom');
  await typeInto(block, '#connect-url', baseURL);
  if (key) await typeInto(block, '#connect-key', key);
}

async function testConnection(block: BlockElement): Promise<void> {
  button(block, 'check-connection')?.click();
  // The form says it is asking (and clears the last answer) before it waits for the server.
  await block.updateComplete;
  await until(
    () => (status(block) !== '' && !status(block).startsWith('Asking')) || failure(block) !== '',
    'the connection test',
  );
}

async function generate(block: BlockElement, prompt: string): Promise<void> {
  await typeInto(block, '#prompt', prompt);
  button(block, 'generate')?.click();
  await until(() => button(block, 'keep') !== null, 'the answer');
}

describe('Connect a model from the picker', () => {
  let app: AiBlocksHostApp | undefined;
  let session: RecordingSession;

  beforeEach(async () => {
    forgetConnections();
    session = await recordingSession('connect');
  });
  afterEach(() => {
    app?.remove();
    app = undefined;
    forgetConnections();
  });

  it('lists the server’s models, connects, and AI Text writes with it; the key goes only to that server', async () => {
    app = await mountHost();
    const text = blockIn(app, 'ai-text');
    await openForm(text);
    // The form takes the keyboard.
    expect(shadow(text).activeElement?.id).to.equal('connect-service');
    await fillCustom(text, session.baseURL, KEY);
    await testConnection(text);
    expect(status(text)).to.contain('offers 2 models');
    const listed = [...shadow(text).querySelectorAll<HTMLOptionElement>('#connect-models option')].map((o) => o.value);
    expect(listed).to.deep.equal(['recorded-large', 'recorded-small']);
    await typeInto(text, '#connect-model', 'recorded-small');
    button(text, 'connect')?.click();
    await until(() => form(text) === null, 'the form to close');
    expect(engineValue(text)).to.equal('openai-compatible');
    expect(connectionLine(text)).to.contain('recorded-small at 127.0.0.1');

    await generate(text, 'Say hello');
    expect(shadow(text).querySelector('.generated')?.textContent.trim()).to.equal(RECORDED_REPLY);
    const calls = await session.calls();
    const chat = calls.find((call) => call.path.endsWith('/chat/completions'));
    expect(chat?.body['model']).to.equal('recorded-small');
    expect(chat?.headers['authorization']).to.equal(`Bearer ${KEY}`);
    expect(calls.find((call) => call.path.endsWith('/models'))?.headers['authorization']).to.equal(`Bearer ${KEY}`);

    // Kept text is saved; the key is in neither the graph nor this browser's storage.
    button(text, 'keep')?.click();
    await until(() => shadow(text).querySelector('[data-save="saved"]') !== null, 'the save');
    expect(JSON.stringify(app.store.all())).to.not.contain(KEY);
    expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);

    // The other text block on the page uses the same connection.
    const chat2 = blockIn(app, 'ai-chat');
    await until(() => connectionLine(chat2).includes('recorded-small'), 'AI Chat to show the connection');
    expect(engineValue(chat2)).to.equal('openai-compatible');
  });

  it('remembers the connection on this device only when asked, and forgets it', async () => {
    app = await mountHost();
    const text = blockIn(app, 'ai-text');
    await openForm(text);
    await fillCustom(text, session.baseURL, KEY);
    await typeInto(text, '#connect-model', 'recorded-large');
    shadow(text).querySelector<HTMLInputElement>('#connect-remember')?.click();
    button(text, 'connect')?.click();
    await until(() => form(text) === null, 'the form to close');
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')).to.deep.equal({
      kind: 'openai-compatible',
      baseURL: session.baseURL,
      apiKey: KEY,
      model: 'recorded-large',
    });

    // A new visit (a fresh page's memory): the remembered connection is back and chosen.
    app.remove();
    Reflect.deleteProperty(globalThis, Symbol.for('ai-blocks.person-connection'));
    app = await mountHost();
    const again = blockIn(app, 'ai-text');
    await until(() => connectionLine(again).includes('recorded-large'), 'the remembered connection');
    expect(engineValue(again)).to.equal('openai-compatible');

    await openForm(again);
    expect(shadow(again).querySelector<HTMLInputElement>('#connect-key')?.value).to.equal(KEY);
    button(again, 'forget-connection')?.click();
    await until(() => form(again) === null, 'the form to close');
    expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
    expect(connectionLine(again)).to.equal('');
    expect(engineValue(again)).to.equal('auto');
  });

  it('says when a server does not allow calls from web pages, and how to allow them', async () => {
    app = await mountHost();
    const text = blockIn(app, 'ai-text');
    await openForm(text);
    const origin = new URL(session.baseURL).origin;
    await fillCustom(text, `${origin}/nocors-${String(Date.now())}/v1`);
    await testConnection(text);
    expect(failure(text)).to.contain('does not allow calls from web pages');
    expect(shadow(text).querySelector('[data-connect-help]')?.textContent).to.contain('Access-Control-Allow-Origin');
    // Connect refuses too: nothing changes.
    await typeInto(text, '#connect-model', 'any');
    button(text, 'connect')?.click();
    await until(() => failure(text).includes('does not allow'), 'the refusal');
    expect(form(text)).to.not.equal(null);
    expect(connectionLine(text)).to.equal('');
  });

  it('tells a server that is not there from a refused key', async () => {
    app = await mountHost();
    const text = blockIn(app, 'ai-text');
    await openForm(text);
    await fillCustom(text, 'http://127.0.0.1:9/v1');
    await testConnection(text);
    expect(failure(text)).to.contain('Could not reach 127.0.0.1:9');

    await session.script({
      failures: [{ status: 401, body: { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } } }],
    });
    await typeInto(text, '#connect-url', session.baseURL);
    await typeInto(text, '#connect-key', 'wrong');
    await testConnection(text);
    expect(failure(text)).to.contain('Incorrect API key provided');
    expect(shadow(text).querySelector('[data-connect-help]')?.textContent).to.contain('Check the API key');
  });

  it('asks for a key where the service needs one, and Escape closes the form', async function () {
    this.timeout(60_000);
    app = await mountHost();
    const text = blockIn(app, 'ai-text');
    await openForm(text);
    await choose(text, '#connect-service', 'openrouter');
    expect(shadow(text).querySelector<HTMLInputElement>('#connect-url')?.value).to.equal(
      'https://openrouter.ai/api/v1',
    );
    button(text, 'connect')?.click();
    await until(() => failure(text) !== '', 'the refusal');
    expect(failure(text)).to.contain('OpenRouter needs an API key');
    shadow(text).querySelector<HTMLInputElement>('#connect-key')?.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => form(text) === null, 'Escape to close the form');
    await block(text);
    expect(shadow(text).activeElement?.getAttribute('data-action')).to.equal('open-connect');
  });

  it('AI Image connects an images API with an image model from the list; the text blocks keep theirs', async () => {
    await session.script({ models: ['dall-e-2', 'gpt-4o-mini'] });
    app = await mountHost();
    const image = blockIn(app, 'ai-image');
    await openForm(image);
    const services = [...shadow(image).querySelectorAll<HTMLOptionElement>('#connect-service option')].map(
      (o) => o.value,
    );
    expect(services).to.not.include('anthropic'); // no image API
    expect(shadow(image).querySelector('label[for="connect-model"]')?.textContent).to.equal('Image model');
    await fillCustom(image, session.baseURL, KEY);
    await testConnection(image);
    expect(status(image)).to.contain('offers 2 models');
    await typeInto(image, '#connect-model', 'dall-e-2');
    button(image, 'connect')?.click();
    await until(() => form(image) === null, 'the form to close');
    expect(engineValue(image)).to.equal('openai-compatible');
    expect(connectionLine(image)).to.contain('dall-e-2 at 127.0.0.1');
    // A text block has no text model from this connection: it keeps its automatic choice.
    const text = blockIn(app, 'ai-text');
    expect(engineValue(text)).to.equal('auto');
    expect(connectionLine(text)).to.equal('');

    await typeInto(image, '#prompt', 'A red square');
    button(image, 'generate')?.click();
    await until(() => shadow(image).querySelectorAll('figure[data-candidate]').length > 0, 'the images');
    const call = (await session.calls()).find((entry) => entry.path.endsWith('/images/generations'));
    expect(call?.body['model']).to.equal('dall-e-2');
    expect(call?.headers['authorization']).to.equal(`Bearer ${KEY}`);
  });

  it('uses the host’s own settings when it sets that engine up', async () => {
    const hosts = await recordingSession('host-set');
    app = await mountHost();
    const text = blockIn(app, 'ai-text');
    text.settings = { openaiCompatible: { baseURL: hosts.baseURL, model: 'host-model' } };
    await openForm(text);
    await fillCustom(text, session.baseURL);
    expect(shadow(text).querySelector('[data-host-configured]')?.textContent).to.contain('used instead');
    await typeInto(text, '#connect-model', 'recorded-small');
    button(text, 'connect')?.click();
    await until(() => form(text) === null, 'the form to close');
    await generate(text, 'Whose model?');
    expect((await hosts.chatRequests()).map((body) => body['model'])).to.deep.equal(['host-model']);
    expect(await session.chatRequests()).to.deep.equal([]);
  });
});

async function block(element: BlockElement): Promise<void> {
  await element.updateComplete;
}
