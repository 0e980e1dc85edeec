// Hostile content against everything that puts model output or graph data into the DOM: the
// Markdown renderer (one block, a saved reply rendered in the background, the streaming view fed
// every prefix of each vector), AI Chat showing a stored hostile reply, and AI Image showing
// stored files whose URLs are hostile. Nothing may run, load by itself, or pass for the block's
// own UI; the figures are recorded for the reliability summary.
import { BP, LEGACY_HASH, TYPE_IDS } from '@ai-blocks/block-metadata';
import { renderMarkdownBlock, StreamingMarkdownView } from '@ai-blocks/ui';
import { executeServerCommand } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import { hostileVectors, instantiate, type HostileVector } from '../../fixtures/hostile-content.js';
import { blockIn, mountHost, shadow, testServers, until, type TestServers } from '../../helpers/host-page.js';
import { recordFigures } from '../../helpers/reliability-figures-browser.js';

// ---- Detection -------------------------------------------------------------------------

/** Every call of the canary: a payload that ran. */
const executions: string[] = [];
const canary = (name?: unknown) => {
  executions.push(String(name));
};
const globals = globalThis as unknown as Record<string, unknown>;
globals['__hostileHit'] = canary;
// `&#72;IT(…)` in a handler decodes to `HIT(…)`: catch that spelling too.
globals['HIT'] = canary;

const HOOK = '__hostileHit';
const TRACK_SCENARIO = 'hostile-track';
/** Fault-server scenarios that only a refused URL names: any request to them is a failure. */
const REFUSED_SCENARIOS = [TRACK_SCENARIO, 'hostile-image-remote', 'hostile-image-credentials'];

/** Where a hostile vector sends a tracking request; the fault server records each one. */
let servers: TestServers;
let trackBase = '';
const loads: string[] = [];
const resourceObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (REFUSED_SCENARIOS.some((scenario) => entry.name.includes(`/${scenario}/`))) loads.push(entry.name);
});

before(async () => {
  servers = await testServers();
  trackBase = `${servers.fault.replace('SCENARIO', TRACK_SCENARIO)}/t`;
  resourceObserver.observe({ type: 'resource', buffered: false });
});

after(() => {
  resourceObserver.disconnect();
});

const serverSaw = (scenario: string) =>
  executeServerCommand<string[], { scenario: string }>('test-server-requests', { scenario });

/** Tags the renderer may emit: what Markdown itself makes, plus our block wrappers. */
const MARKDOWN_TAGS = new Set([
  'div',
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  'del',
  'a',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'hr',
  'br',
  'input',
  'span',
]);

/**
 * Whether an element could pass for something the block made: any tag or attribute beyond what
 * Markdown produces (an id, a class other than ours, a style, a role, data-*, a form control
 * other than a disabled task checkbox…). `highlighted` allows the highlighter's classes.
 */
function isSpoof(element: Element, highlighted = false): boolean {
  const tag = element.localName;
  if (!MARKDOWN_TAGS.has(tag)) return true;
  for (const { name, value } of element.attributes) {
    const allowed =
      (tag === 'div' && name === 'class' && /^md-block( md-open)?$/.test(value)) ||
      (tag === 'p' && name === 'class' && value === 'md-plain') ||
      (tag === 'a' && ['href', 'title', 'target', 'rel'].includes(name)) ||
      (tag === 'a' && name === 'class' && value === 'md-image-link') ||
      (tag === 'code' && name === 'class' && /^language-[\w#+.-]+$/.test(value)) ||
      (highlighted &&
        tag === 'code' &&
        ((name === 'class' && /^(hljs|language-[\w#+.-]+)( (hljs|language-[\w#+.-]+))*$/.test(value)) ||
          (name === 'data-highlighted' && value === 'yes'))) ||
      (highlighted && tag === 'span' && name === 'class' && /^(hljs-[\w-]+ ?)+$/.test(value)) ||
      ((tag === 'th' || tag === 'td') && name === 'align' && /^(left|center|right)$/.test(value)) ||
      (tag === 'ol' && name === 'start' && /^\d+$/.test(value)) ||
      (tag === 'input' && ((name === 'type' && value === 'checkbox') || name === 'checked' || name === 'disabled'));
    if (!allowed) return true;
  }
  if (tag === 'div' && !element.classList.contains('md-block')) return true;
  if (tag === 'span' && !highlighted) return true;
  if (tag === 'input' && !(element as HTMLInputElement).disabled) return true;
  return false;
}

const URL_ATTRIBUTES = [
  'href',
  'src',
  'srcset',
  'action',
  'formaction',
  'xlink:href',
  'background',
  'poster',
  'data',
  'lowsrc',
  'dynsrc',
  'ping',
  'cite',
  'longdesc',
  'style',
];

/** Links may go to http(s) or mailto (they load nothing until followed); nothing else may hold a URL. */
function unsafeUrls(root: ParentNode): string[] {
  const found: string[] = [];
  for (const element of root.querySelectorAll('*')) {
    for (const name of URL_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      let protocol = '';
      try {
        protocol = new URL(value).protocol;
      } catch {
        protocol = 'relative';
      }
      const link = element.localName === 'a' && name === 'href' && ['https:', 'http:', 'mailto:'].includes(protocol);
      if (!link) found.push(`${element.localName}[${name}=${value}]`);
    }
  }
  return found;
}

/** Fires what a person (or the page) could: inline handlers left on any element would run. */
function poke(root: HTMLElement): void {
  const stay = (event: Event) => {
    event.preventDefault();
  };
  root.addEventListener('click', stay);
  root.addEventListener('submit', stay);
  for (const element of root.querySelectorAll('*')) {
    // A click bubbles (to `stay`, so no link is followed); the rest reach only their target,
    // where an inline handler would run (a bubbling `error` would reach the test runner's).
    element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    for (const type of [
      'dblclick',
      'mouseover',
      'mouseenter',
      'pointerover',
      'mousedown',
      'focus',
      'focusin',
      'load',
      'error',
      'toggle',
      'animationstart',
      'transitionend',
      'input',
      'change',
      'submit',
      'beginEvent',
    ]) {
      element.dispatchEvent(new Event(type, { cancelable: true }));
    }
  }
  root.removeEventListener('click', stay);
  root.removeEventListener('submit', stay);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

// ---- Figures ---------------------------------------------------------------------------

const figures = { vectors: 0, prefixes: 0, spoofs: [] as string[], unsafe: [] as string[], imageUrls: 0 };

function inspect(where: string, root: HTMLElement, highlighted = false): void {
  for (const element of root.querySelectorAll('*')) {
    if (isSpoof(element, highlighted)) figures.spoofs.push(`${where}: ${element.outerHTML.slice(0, 120)}`);
  }
  figures.unsafe.push(...unsafeUrls(root).map((url) => `${where}: ${url}`));
}

function mountContainer(): HTMLElement {
  const container = document.createElement('div');
  container.className = 'markdown';
  document.body.append(container);
  return container;
}

describe('hostile content (#12)', function () {
  this.timeout(180_000);
  let vectors: HostileVector[];

  before(() => {
    vectors = hostileVectors().map(({ name, source }) => ({ name, source: instantiate(source, HOOK, trackBase) }));
  });

  it('sees a payload that was not sanitised: the detectors work', async () => {
    const control = mountContainer();
    control.innerHTML =
      `<img src="data:," onerror="${HOOK}('control-img')">` +
      `<p class="status" onmouseover="${HOOK}('control-p')">x</p><a href="javascript:void 0">x</a>`;
    poke(control);
    await settle();
    control.remove();
    const seen = new Set(executions.splice(0));
    expect([...seen]).to.have.members(['control-img', 'control-p']);
    control.innerHTML = `<p class="status">x</p><a href="javascript:void 0">x</a>`;
    expect([...control.querySelectorAll('*')].filter((element) => isSpoof(element))).to.have.length(1);
    expect(unsafeUrls(control)).to.deep.equal(['a[href=javascript:void 0]']);
  });

  it('has at least 150 vectors', () => {
    expect(vectors.length).to.be.at.least(150);
    expect(new Set(vectors.map((vector) => vector.name)).size).to.equal(vectors.length);
  });

  it('renders every vector as one block and as a saved reply: nothing runs, loads, or poses as the block', async () => {
    const containers: HTMLElement[] = [];
    for (const { name, source } of vectors) {
      const block = mountContainer();
      block.innerHTML = renderMarkdownBlock(source);
      const saved = mountContainer();
      // A saved reply as AI Chat renders it (markdownView sets the whole text on a view), all of it now.
      const view = new StreamingMarkdownView(saved, { render: renderMarkdownBlock });
      view.setText(source);
      view.flush(true);
      for (const container of [block, saved]) {
        inspect(name, container);
        poke(container);
        containers.push(container);
      }
      figures.vectors += 1;
    }
    await settle();
    for (const container of containers) container.remove();
    expect(executions, 'payloads that ran').to.deep.equal([]);
    expect(figures.spoofs, 'elements posing as the block').to.deep.equal([]);
    expect(figures.unsafe, 'unsafe URLs in the DOM').to.deep.equal([]);
  });

  it('streams every prefix of every vector: no prefix runs, loads or poses as the block either', async () => {
    for (const { name, source } of vectors) {
      const container = mountContainer();
      const view = new StreamingMarkdownView(container, { render: renderMarkdownBlock });
      // Each character is one prefix: the open block is rendered as it stands after it.
      for (const char of source) {
        view.append(char);
        view.flush();
        inspect(`${name} (prefix)`, container);
        figures.prefixes += 1;
      }
      view.end();
      inspect(`${name} (ended)`, container);
      poke(container);
      expect(view.source).to.equal(source);
      container.remove();
    }
    await settle();
    expect(figures.prefixes).to.be.at.least(vectors.reduce((sum, vector) => sum + vector.source.length, 0));
    expect(executions, 'payloads that ran').to.deep.equal([]);
    expect(figures.spoofs, 'elements posing as the block').to.deep.equal([]);
    expect(figures.unsafe, 'unsafe URLs in the DOM').to.deep.equal([]);
  });

  it('AI Chat shows a stored hostile reply without running it or letting it pose as the chat', async () => {
    const setup = await mountHost();
    const store = setup.store;
    await store.delete('ai-chat-block');
    await store.create({ entityId: 'ai-chat-block', entityTypeId: LEGACY_HASH.entityType.aiChatBlock, properties: {} });
    const message = async (typeId: string, text: string) =>
      (await store.create({ entityTypeId: typeId, properties: { [BP.property.textualContent]: text } })).metadata
        .recordId.entityId;
    const reply = ['**Shown.**', ...vectors.map((vector) => vector.source), '```js\nconst done = true;\n```'].join(
      '\n\n',
    );
    const question = await message(LEGACY_HASH.entityType.requestMessage, 'Tell me something');
    const answer = await message(LEGACY_HASH.entityType.responseMessage, reply);
    await store.create({
      entityTypeId: LEGACY_HASH.entityType.rootedAt,
      properties: {},
      linkData: { leftEntityId: 'ai-chat-block', rightEntityId: question },
    });
    await store.create({
      entityTypeId: LEGACY_HASH.entityType.hasResponse,
      properties: {},
      linkData: { leftEntityId: question, rightEntityId: answer },
    });
    const dbName = setup.config.dbName;
    setup.remove();
    const app = await mountHost({ dbName });
    const block = blockIn(app, 'ai-chat');
    const root = shadow(block);
    const body = () => root.querySelector<HTMLElement>('article.message[data-role="assistant"] .body');
    await until(
      () => body()?.querySelector('strong')?.textContent === 'Shown.' && body()?.querySelector('code.hljs') !== null,
      'the hostile reply, rendered and highlighted',
    );
    const shown = body() as HTMLElement;
    inspect('ai-chat reply', shown, true);
    // The chat's own hooks exist once each (the composer) or not at all (no reply is streaming).
    expect(root.querySelectorAll('.streaming').length).to.equal(0);
    expect(root.querySelectorAll('#message').length).to.equal(1);
    expect(
      shown.querySelectorAll(
        '[id], [class~="error-notice"], [class~="status"], [data-save], [data-action], ' +
          'button, textarea, select, dialog, slot, form',
      ).length,
    ).to.equal(0);
    poke(shown);
    await settle();
    app.remove();
    expect(executions, 'payloads that ran').to.deep.equal([]);
    expect(figures.spoofs, 'elements posing as the chat').to.deep.equal([]);
    expect(figures.unsafe, 'unsafe URLs in the DOM').to.deep.equal([]);
  });

  it('nothing a vector names was fetched', async () => {
    await settle();
    expect(await serverSaw(TRACK_SCENARIO)).to.deep.equal([]);
    expect(loads).to.deep.equal([]);
  });

  // ---- AI Image: stored file URLs ------------------------------------------------------

  it('AI Image shows files only from allowed URLs, downloads via a fetched blob, fetches nothing refused', async () => {
    const faultOrigin = new URL(servers.fault.replace('SCENARIO', 'x')).origin;
    const port = new URL(faultOrigin).port;
    // Each refused URL that could be fetched points at a fault-server scenario that must stay empty.
    const refused: Record<string, string> = {
      javascript: `javascript:${HOOK}('image-javascript')`,
      'javascript-upper': `JAVASCRIPT:${HOOK}('image-javascript-upper')`,
      'javascript-space': ` javascript:${HOOK}('image-javascript-space')`,
      'javascript-tab': `java\tscript:${HOOK}('image-javascript-tab')`,
      vbscript: `vbscript:${HOOK}('image-vbscript')`,
      'data-html': `data:text/html,<script>parent.${HOOK}('image-data-html')</script>`,
      'data-svg': `data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="${HOOK}('image-data-svg')"/>`,
      file: 'file:///etc/passwd',
      ftp: 'ftp://127.0.0.1/x.png',
      'remote-http': `http://[::ffff:127.0.0.1]:${port}/hostile-image-remote/x.png`,
      credentials: `http://user:secret@127.0.0.1:${port}/hostile-image-credentials/x.png`,
      'protocol-relative': '//evil.example/x.png',
      about: 'about:blank',
    };
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const blobUrl = URL.createObjectURL(
      new Blob([Uint8Array.from(atob(png), (char) => char.charCodeAt(0))], { type: 'image/png' }),
    );
    const allowed: Record<string, string> = {
      'data-png': `data:image/png;base64,${png}`,
      blob: blobUrl,
      // The fault server answers any `….gguf` with bytes (not an image: saved as bytes all the same).
      'loopback-http': `${faultOrigin}/hostile-image-loopback/v1/file.gguf`,
    };
    const setup = await mountHost();
    const store = setup.store;
    for (const [name, url] of [...Object.entries(refused), ...Object.entries(allowed)]) {
      const file = await store.create({
        entityTypeId: BP.entityType.remoteFile,
        properties: {
          [BP.property.fileUrl]: url,
          [BP.property.fileName]: `${name}.png`,
          [BP.property.mimeType]: 'image/png',
        },
      });
      await store.create({
        entityTypeId: TYPE_IDS.entityType['generated-image'],
        properties: { [TYPE_IDS.property.prompt]: name },
        linkData: { leftEntityId: 'ai-image-block', rightEntityId: file.metadata.recordId.entityId },
      });
      figures.imageUrls += 1;
    }
    const dbName = setup.config.dbName;
    setup.remove();
    const app = await mountHost({ dbName });
    const block = blockIn(app, 'ai-image');
    const root = shadow(block);
    const total = Object.keys(refused).length + Object.keys(allowed).length;
    await until(
      () => root.querySelectorAll('figure[data-kept]').length === total,
      () => `${String(total)} kept images, saw ${String(root.querySelectorAll('figure[data-kept]').length)}`,
    );
    await settle();

    // What reached the DOM: an image source or link only ever holds an allowed URL.
    const allowedUrl = (value: string) => {
      const url = new URL(value, location.href);
      return (
        url.protocol === 'https:' ||
        url.protocol === 'blob:' ||
        (url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname) && !url.username) ||
        /^data:image\/(png|jpeg|gif|webp)[;,]/.test(value)
      );
    };
    for (const element of root.querySelectorAll('[src], [href], [srcset], [action], [formaction]')) {
      for (const name of ['src', 'href', 'srcset', 'action', 'formaction']) {
        const value = element.getAttribute(name);
        if (value !== null && !allowedUrl(value))
          figures.unsafe.push(`ai-image ${element.localName}[${name}=${value}]`);
      }
    }
    const shown = [...root.querySelectorAll<HTMLImageElement>('figure[data-kept] img')].map((image) =>
      image.getAttribute('src'),
    );
    expect(shown).to.have.members(Object.values(allowed).map((url) => new URL(url).href));
    expect(root.querySelectorAll('figure[data-kept][data-refused]').length).to.equal(Object.keys(refused).length);

    // Every "Download" fetches the bytes and saves them from a blob: URL; a refused image offers none.
    const saved: { href: string; download: string }[] = [];
    // Links the block clicks to save a file are recorded instead of followed.
    Object.defineProperty(HTMLAnchorElement.prototype, 'click', {
      configurable: true,
      value(this: HTMLAnchorElement) {
        saved.push({ href: this.href, download: this.download });
      },
    });
    try {
      const stay = (event: Event) => {
        event.preventDefault();
      };
      root.addEventListener('click', stay);
      for (const control of root.querySelectorAll<HTMLElement>('figure[data-kept] a, figure[data-kept] button'))
        control.click();
      root.removeEventListener('click', stay);
      await until(
        () => saved.length >= Object.keys(allowed).length,
        () =>
          `downloads: ${JSON.stringify(saved)}; ` +
          `notice: ${root.querySelector('[data-notice="download"]')?.textContent ?? 'none'}`,
      );
    } finally {
      Reflect.deleteProperty(HTMLAnchorElement.prototype, 'click'); // HTMLElement's click again
    }
    await settle();
    expect(saved.map((entry) => entry.href.startsWith('blob:'))).to.deep.equal(Object.keys(allowed).map(() => true));
    expect(saved.map((entry) => entry.download)).to.have.members(Object.keys(allowed).map((name) => `${name}.png`));
    app.remove();
    URL.revokeObjectURL(blobUrl);

    expect(executions, 'payloads that ran').to.deep.equal([]);
    expect(figures.unsafe, 'unsafe URLs in the DOM').to.deep.equal([]);
    // Refused addresses are never requested, not even by a rendered <img>.
    expect(await serverSaw('hostile-image-remote')).to.deep.equal([]);
    expect(await serverSaw('hostile-image-credentials')).to.deep.equal([]);
    // The allowed loopback file was fetched once, by the click (and by its <img>).
    expect((await serverSaw('hostile-image-loopback')).length).to.be.at.least(1);
  });

  after(async () => {
    const requested = (await Promise.all(REFUSED_SCENARIOS.map((scenario) => serverSaw(scenario)))).flat();
    await recordFigures('hostile-content', [
      { label: 'vectors tried', value: figures.vectors, min: 150 },
      { label: 'streaming prefixes tried', value: figures.prefixes, min: figures.vectors },
      { label: 'stored image URLs tried', value: figures.imageUrls },
      { label: 'executions', value: executions.length, max: 0 },
      { label: 'spoofed elements', value: figures.spoofs.length, max: 0 },
      { label: 'unsafe URLs reaching the DOM', value: figures.unsafe.length, max: 0 },
      { label: 'requests to refused or tracking URLs', value: Math.max(requested.length, loads.length), max: 0 },
    ]);
  });
});
