import { describe, expect, it } from 'vitest';
import { assertBlockOrigin, BlockOriginError, parseOrigins } from '../../../packages/host/src/page/block-origins.js';
import { loadBlock } from '../../../packages/host/src/page/load-block.js';

const PAGE = 'http://127.0.0.1:8787';
const CDN = 'https://blocks.example.com';

/** A fetch that records what was asked and answers from a table (optionally as if redirected). */
function tableFetch(table: Record<string, { body: string; redirectedTo?: string }>) {
  const asked: string[] = [];
  const fetchFn: typeof fetch = (input) => {
    const url = input instanceof Request ? input.url : input.toString();
    asked.push(url);
    const entry = table[url];
    if (!entry) return Promise.resolve(new Response('missing', { status: 404 }));
    const response = new Response(entry.body, { status: 200 });
    Object.defineProperty(response, 'url', { value: entry.redirectedTo ?? url });
    return Promise.resolve(response);
  };
  return { fetch: fetchFn, asked };
}

const metadata = (source: string) =>
  JSON.stringify({ name: 'ai-text', blockType: { tagName: 'ai-text-block' }, source });

describe('where the host loads block code from', () => {
  it('parses the server’s allow-list into origins and rejects what is not one', () => {
    expect(parseOrigins(`${CDN}/, http://127.0.0.1:9000  https://a.example`)).toEqual({
      origins: [CDN, 'http://127.0.0.1:9000', 'https://a.example'],
      invalid: [],
    });
    expect(
      parseOrigins('javascript:alert(1) https://x.example/path ftp://f.example https://u:p@h.example nonsense').origins,
    ).toEqual([]);
  });

  it('allows the page’s own origin and allow-listed ones; refuses others with a message naming the setting', () => {
    expect(() => {
      assertBlockOrigin(`${PAGE}/blocks/ai-text/block-metadata.json`, [PAGE]);
    }).not.toThrow();
    expect(() => {
      assertBlockOrigin(`${CDN}/ai-text/block-metadata.json`, [PAGE, CDN]);
    }).not.toThrow();
    for (const url of [
      'http://127.0.0.1:9999/evil/ai-text/block-metadata.json',
      'https://blocks.example.com.evil.example/x',
      'data:text/javascript,1',
      'not a url',
    ]) {
      expect(() => {
        assertBlockOrigin(url, [PAGE, CDN]);
      }, url).toThrow(BlockOriginError);
    }
    expect(() => {
      assertBlockOrigin('http://127.0.0.1:9999/evil/', [PAGE]);
    }).toThrow('AI_BLOCKS_ALLOWED_BLOCK_ORIGINS=http://127.0.0.1:9999');
  });

  it('loadBlock refuses a foreign metadata URL before fetching anything', async () => {
    const evil = 'http://127.0.0.1:9999/evil/ai-text/block-metadata.json';
    const { fetch, asked } = tableFetch({ [evil]: { body: metadata('main.js') } });
    await expect(loadBlock(evil, { allowedOrigins: [PAGE], fetch })).rejects.toThrow(BlockOriginError);
    expect(asked).toEqual([]);
  });

  it('loadBlock refuses code on another origin, named or via redirect, before fetching or running it', async () => {
    const own = `${PAGE}/blocks/ai-text/block-metadata.json`;
    const foreignSource = tableFetch({ [own]: { body: metadata('https://evil.example/main.js') } });
    await expect(loadBlock(own, { allowedOrigins: [PAGE], fetch: foreignSource.fetch })).rejects.toThrow(
      'Blocks from https://evil.example are not loaded',
    );
    expect(foreignSource.asked).toEqual([own]);

    const redirected = tableFetch({
      [own]: { body: metadata('main.js'), redirectedTo: 'https://evil.example/ai-text/block-metadata.json' },
    });
    await expect(loadBlock(own, { allowedOrigins: [PAGE], fetch: redirected.fetch })).rejects.toThrow(BlockOriginError);
    expect(redirected.asked).toEqual([own]);

    const source = `${PAGE}/blocks/ai-text/main.js`;
    const sourceRedirected = tableFetch({
      [own]: { body: metadata('main.js') },
      [source]: { body: 'globalThis.ran = true', redirectedTo: 'https://evil.example/main.js' },
    });
    await expect(loadBlock(own, { allowedOrigins: [PAGE], fetch: sourceRedirected.fetch })).rejects.toThrow(
      BlockOriginError,
    );
    expect((globalThis as { ran?: boolean }).ran).toBeUndefined();
  });

  it('loadBlock fetches metadata and code from an allow-listed origin', async () => {
    const url = `${CDN}/ai-text/block-metadata.json`;
    // Node has no custom elements: getting as far as evaluating the code shows nothing refused it.
    const { fetch, asked } = tableFetch({
      [url]: { body: metadata('main.js') },
      [`${CDN}/ai-text/main.js`]: { body: 'module.exports = { default: class {} }' },
    });
    await expect(loadBlock(url, { allowedOrigins: [PAGE, CDN], fetch })).rejects.toThrow(/customElements/);
    expect(asked).toEqual([url, `${CDN}/ai-text/main.js`]);
  });
});
