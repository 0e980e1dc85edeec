import { expect } from '@open-wc/testing';
import {
  markdownRender,
  renderMarkdownBlock,
  setMarkdownRenderer,
  StreamingMarkdownView,
  TaskBudget,
} from '@ai-blocks/ui';

function mount(): { container: HTMLElement; view: StreamingMarkdownView } {
  const container = document.createElement('div');
  document.body.append(container);
  return { container, view: new StreamingMarkdownView(container, { render: renderMarkdownBlock }) };
}

describe('StreamingMarkdownView', () => {
  it('shows escaped plain text until the renderer is installed, then renders the Markdown once', async () => {
    expect(markdownRender()).to.equal(undefined); // this test runs first: nothing installed yet
    const container = document.createElement('div');
    document.body.append(container);
    const view = new StreamingMarkdownView(container);
    view.setText('# Title\n\n<img src=x onerror="window.pwned = 1">**bold**');
    expect(container.querySelector('h1')).to.equal(null);
    expect(container.textContent).to.contain('# Title');
    expect(container.querySelector('img')).to.equal(null);
    setMarkdownRenderer(renderMarkdownBlock);
    // The first render warms the parser up and may use the frame's budget: the rest comes next frame.
    for (let frame = 0; frame < 10 && !view.rendered; frame += 1) await new Promise(requestAnimationFrame);
    expect(container.querySelector('h1')?.textContent).to.equal('Title');
    expect(container.querySelector('strong')?.textContent).to.equal('bold');
    expect((window as { pwned?: number }).pwned).to.equal(undefined);
    container.remove();
  });

  it('renders headings, lists, tables and code from streamed chunks', async () => {
    const { container, view } = mount();
    const answer = '# Plan\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nlet x = 1;\n```\n';
    for (const char of answer) view.append(char);
    view.end();
    // At once, or on the next frames when this task's budget (shared by all views) is spent.
    for (let frame = 0; frame < 10 && !view.rendered; frame += 1) await new Promise(requestAnimationFrame);
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
    view.flush(true);
    // Clicks run any handler left on a link; following a link (a new tab) would throttle this page's frames.
    const stayHere = (event: Event) => event.preventDefault();
    container.addEventListener('click', stayHere);
    for (const anchor of container.querySelectorAll('a'))
      anchor.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    container.removeEventListener('click', stayHere);
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

  it('keeps rendering text streamed after setText, as when a view is created mid-stream', () => {
    const container = document.createElement('div');
    document.body.append(container);
    // Frames and the clock are driven by the test: 16 ms pass between frames.
    const frames = new Map<number, () => void>();
    let handles = 0;
    let clock = 0;
    const runFrames = () => {
      for (let round = 0; round < 20 && frames.size > 0; round += 1) {
        clock += 16;
        const due = [...frames.values()];
        frames.clear();
        for (const frame of due) frame();
      }
    };
    const view = new StreamingMarkdownView(container, {
      render: renderMarkdownBlock,
      now: () => clock,
      // Its own budget: what other tests rendered in this task does not count against it.
      budget: new TaskBudget(),
      schedule: (callback) => {
        handles += 1;
        frames.set(handles, callback);
        return handles;
      },
      cancel: (handle) => void frames.delete(handle),
    });
    view.setText('');
    view.append('Counting: a');
    runFrames();
    expect(container.textContent).to.contain('Counting: a');
    view.append('bc');
    runFrames();
    expect(container.textContent).to.contain('Counting: abc');
    view.end();
    expect(container.textContent).to.contain('Counting: abc');
    container.remove();
  });

  it('renders a single block to sanitised HTML, keeping only what Markdown makes', () => {
    expect(renderMarkdownBlock('**bold** <b onmouseover="x()">b</b>')).to.equal('<p><strong>bold</strong> b</p>\n');
  });

  it('gives a reply nothing to pose as the block: no ids, names, styles, block classes, dialogs, slots, fields', () => {
    const { container, view } = mount();
    view.setText(
      [
        '<div class="error-notice" role="alert" id="message">' +
          'Session expired — <a href="https://evil.example/login">sign in</a></div>',
        '<dialog open><form method="dialog"><input type="password" name="pw"><button>Sign in</button></form></dialog>',
        '<slot name="x">slot</slot><template><p>t</p></template>' +
          '<p class="status visually-hidden streaming" style="color:red" data-action="send">fake</p>',
        '<select id="engine"><option>x</option></select><textarea id="prompt"></textarea>' +
          '<details open><summary>s</summary>d</details>',
        '- [x] done\n- [ ] todo',
        '```streaming\ncode\n```',
        '<code class="language-js streaming">x</code> <code class="language-ts">y</code>',
      ].join('\n\n'),
    );
    view.flush(true);
    expect(
      container.querySelector(
        '[id], [name], [style], [role], [data-action], dialog, slot, template, form, button, select, textarea, ' +
          'details, summary, div:not(.md-block)',
      ),
    ).to.equal(null);
    expect(container.querySelector('.error-notice, .status, .visually-hidden, .streaming')).to.equal(null);
    expect(container.textContent).to.contain('Session expired');
    const boxes = [...container.querySelectorAll('input')];
    expect(boxes.map((box) => [box.type, box.disabled, box.checked])).to.deep.equal([
      ['checkbox', true, true],
      ['checkbox', true, false],
    ]);
    expect([...container.querySelectorAll('code[class]')].map((code) => code.className)).to.deep.equal([
      'language-streaming',
      'language-ts',
    ]);
    container.remove();
  });

  it('shows a block that is past the parsing limits, or hostile to the parser, as plain text', () => {
    for (const source of ['[a]('.repeat(2048), '> '.repeat(2500), '1. > - '.repeat(1000), '_a'.repeat(20_000)]) {
      const html = renderMarkdownBlock(source);
      expect(html.startsWith('<p class="md-plain">'), source.slice(0, 12)).to.equal(true);
    }
  });

  it('renders a long saved answer over several frames, not all in one', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const view = new StreamingMarkdownView(container, { render: renderMarkdownBlock });
    const answer = Array.from(
      { length: 3000 },
      (_, index) => `Paragraph **${index}** with [a link](https://example.com/${index}).`,
    ).join('\n\n');
    // A task of its own: what earlier tests rendered in this one does not count against it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    view.setText(answer);
    expect(view.rendered).to.equal(false);
    const first = container.querySelectorAll('.md-block').length;
    expect(first).to.be.greaterThan(0).and.lessThan(3000);
    for (let frame = 0; frame < 600 && !view.rendered; frame += 1) await new Promise(requestAnimationFrame);
    expect(view.rendered).to.equal(true);
    expect(container.querySelectorAll('.md-block').length).to.equal(3000);
    expect(container.querySelector('.md-block:last-child strong')?.textContent).to.equal('2999');
    container.remove();
  });
});
