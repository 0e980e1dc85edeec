import { expect } from '@open-wc/testing';
import { markdownRender, renderMarkdownBlock, setMarkdownRenderer, StreamingMarkdownView } from '@ai-blocks/ui';

function mount(): { container: HTMLElement; view: StreamingMarkdownView } {
  const container = document.createElement('div');
  document.body.append(container);
  return { container, view: new StreamingMarkdownView(container, { render: renderMarkdownBlock }) };
}

describe('StreamingMarkdownView', () => {
  it('shows escaped plain text until the renderer is installed, then renders the Markdown once', () => {
    expect(markdownRender()).to.equal(undefined); // this test runs first: nothing installed yet
    const container = document.createElement('div');
    document.body.append(container);
    const view = new StreamingMarkdownView(container);
    view.setText('# Title\n\n<img src=x onerror="window.pwned = 1">**bold**');
    expect(container.querySelector('h1')).to.equal(null);
    expect(container.textContent).to.contain('# Title');
    expect(container.querySelector('img')).to.equal(null);
    setMarkdownRenderer(renderMarkdownBlock);
    expect(container.querySelector('h1')?.textContent).to.equal('Title');
    expect(container.querySelector('strong')?.textContent).to.equal('bold');
    expect((window as { pwned?: number }).pwned).to.equal(undefined);
    container.remove();
  });

  it('renders headings, lists, tables and code from streamed chunks', () => {
    const { container, view } = mount();
    const answer = '# Plan\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nlet x = 1;\n```\n';
    for (const char of answer) view.append(char);
    view.end();
    expect(container.querySelector('h1')?.textContent).to.equal('Plan');
    expect(container.querySelectorAll('li').length).to.equal(2);
    expect(container.querySelector('td')?.textContent).to.equal('1');
    expect(container.querySelector('pre code')?.textContent).to.contain('let x = 1;');
    container.remove();
  });

  it('never re-creates a finished block while later text streams in', () => {
    const { container, view } = mount();
    view.append('First paragraph.\n\nSecond');
    view.flush();
    const first = container.querySelector('.md-block');
    expect(first?.textContent).to.contain('First paragraph.');
    view.append(' paragraph grows');
    view.flush();
    expect(container.querySelector('.md-block')).to.equal(first);
    expect(container.querySelector('.md-open')?.textContent).to.contain('Second paragraph grows');
    container.remove();
  });

  it('runs nothing and loads nothing from hostile output', async () => {
    const fired: string[] = [];
    (window as unknown as Record<string, unknown>)['__pwned'] = (what: string) => fired.push(what);
    const { container, view } = mount();
    const requests: string[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) requests.push(entry.name);
    });
    observer.observe({ type: 'resource', buffered: false });
    view.setText(
      [
        '<script>__pwned("script")</script>',
        '<img src="http://127.0.0.1:9/x.png" onerror="__pwned(\'onerror\')">',
        '![tracker](http://127.0.0.1:9/t.png)',
        '[click](javascript:__pwned("href"))',
        '<a href="http://example.test" onclick="__pwned(\'click\')">link</a>',
        '<iframe src="javascript:__pwned(\'iframe\')"></iframe>',
        '<svg><script>__pwned("svg")</script></svg>',
        '<div style="background:url(http://127.0.0.1:9/bg.png)">styled</div>',
      ].join('\n\n'),
    );
    for (const anchor of container.querySelectorAll('a')) anchor.dispatchEvent(new MouseEvent('click', { cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    expect(fired).to.deep.equal([]);
    expect(container.querySelector('script, iframe, img, svg, [onerror], [onclick], [style]')).to.equal(null);
    expect(requests.filter((name) => name.includes('127.0.0.1:9'))).to.deep.equal([]);
    for (const anchor of container.querySelectorAll('a[href]')) {
      expect(anchor.getAttribute('href')).to.match(/^https?:/);
      expect(anchor.getAttribute('target')).to.equal('_blank');
      expect(anchor.getAttribute('rel')).to.contain('noopener');
    }
    const imageLinks = [...container.querySelectorAll('.md-image-link')].map((link) => link.textContent);
    expect(imageLinks).to.include('Image: tracker');
    container.remove();
  });

  it('renders a single block to sanitised HTML', () => {
    expect(renderMarkdownBlock('**bold** <b onmouseover="x()">b</b>')).to.equal('<p><strong>bold</strong> <b>b</b></p>\n');
  });
});
