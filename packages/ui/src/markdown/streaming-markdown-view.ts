import { MarkdownBlockSplitter } from './block-splitter.js';
import { markdownRender, plainTextHtml, whenMarkdownRendererReady, type MarkdownRender } from './markdown-renderer.js';

/** Called with each finished block element that contains code, e.g. to highlight it lazily. */
export type CodeBlockHook = (block: HTMLElement) => void;

/**
 * Renders streamed Markdown into a container element. Finished blocks are rendered once and
 * never touched again; only the open block is re-rendered, at most once per animation frame,
 * so the cost of each new token does not grow with the length of the answer.
 */
export class StreamingMarkdownView {
  private splitter = new MarkdownBlockSplitter();
  private tailElement: HTMLElement | undefined;
  private frame: number | undefined;
  private pendingBlocks: string[] = [];
  private text = '';
  private ended = false;
  private waitingForRenderer: (() => void) | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly options: { onCodeBlock?: CodeBlockHook; schedule?: (callback: () => void) => number; cancel?: (handle: number) => void; render?: MarkdownRender } = {},
  ) {}

  /** The element the view renders into. */
  get element(): HTMLElement {
    return this.container;
  }

  /** Everything appended so far. */
  get source(): string {
    return this.text;
  }

  /** Appends streamed text; the DOM catches up on the next frame. */
  append(delta: string): void {
    if (delta === '') return;
    this.text += delta;
    this.pendingBlocks.push(...this.splitter.append(delta));
    this.scheduleFlush();
  }

  /** Replaces everything with `text` (a saved answer), rendered at once. */
  setText(text: string): void {
    this.clear();
    this.append(text);
    this.end();
  }

  /** Marks the stream finished and renders what is left now. */
  end(): void {
    this.ended = true;
    this.pendingBlocks.push(...this.splitter.finish());
    this.flush(true);
  }

  /** Removes all content. */
  clear(): void {
    if (this.frame !== undefined) (this.options.cancel ?? cancelAnimationFrame)(this.frame);
    this.frame = undefined;
    this.splitter = new MarkdownBlockSplitter();
    this.pendingBlocks = [];
    this.tailElement = undefined;
    this.text = '';
    this.ended = false;
    this.container.replaceChildren();
  }

  /** Renders pending changes now (tests and benchmarks call this instead of waiting a frame). */
  flush(final = false): void {
    if (this.frame !== undefined) (this.options.cancel ?? cancelAnimationFrame)(this.frame);
    this.frame = undefined;
    const render = this.renderer();
    for (const source of this.pendingBlocks) {
      const element = this.takeTailElement();
      element.innerHTML = render(source);
      element.classList.remove('md-open');
      if (element.querySelector('pre code')) this.options.onCodeBlock?.(element);
    }
    this.pendingBlocks = [];
    const tail = final ? '' : this.splitter.tail;
    if (tail.trim() === '') {
      this.tailElement?.remove();
      this.tailElement = undefined;
      return;
    }
    this.tailElement ??= this.newBlockElement();
    this.tailElement.classList.add('md-open');
    this.tailElement.innerHTML = render(tail);
  }

  /** The renderer, or plain text until it loads (then everything is rendered again, once). */
  private renderer(): MarkdownRender {
    const render = this.options.render ?? markdownRender();
    if (render) return render;
    this.waitingForRenderer ??= whenMarkdownRendererReady(() => {
      this.waitingForRenderer = undefined;
      const { text, ended } = this;
      this.clear();
      this.append(text);
      if (ended) this.end();
    });
    return plainTextHtml;
  }

  private scheduleFlush(): void {
    if (this.frame !== undefined) return;
    this.frame = (this.options.schedule ?? requestAnimationFrame)(() => {
      this.frame = undefined;
      this.flush();
    });
  }

  /** The open block's element becomes the finished block's element, keeping DOM order. */
  private takeTailElement(): HTMLElement {
    const element = this.tailElement ?? this.newBlockElement();
    this.tailElement = undefined;
    return element;
  }

  private newBlockElement(): HTMLElement {
    const element = this.container.ownerDocument.createElement('div');
    element.className = 'md-block';
    this.container.append(element);
    return element;
  }
}
