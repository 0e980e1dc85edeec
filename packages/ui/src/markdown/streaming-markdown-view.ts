import { MarkdownBlockSplitter } from './block-splitter.js';
import { markdownRender, plainTextHtml, whenMarkdownRendererReady, type MarkdownRender } from './markdown-renderer.js';

/** Called with each finished block element that contains code, e.g. to highlight it lazily. */
export type CodeBlockHook = (block: HTMLElement) => void;

/** Most time (ms) one frame spends rendering finished blocks; the rest waits for the next frame. */
const FRAME_BUDGET_MS = 10;

/**
 * Renders streamed Markdown into a container element. Finished blocks are rendered once and
 * never touched again; only the open block is re-rendered, at most once per animation frame,
 * so the cost of each new token does not grow with the length of the answer.
 *
 * No frame does long work: finished blocks are rendered for at most ~10 ms a frame (a long
 * saved answer appears over a few frames), and the open block is re-rendered less often when
 * rendering it is slow, so that it takes at most about a fifth of the time.
 */
export class StreamingMarkdownView {
  private splitter = new MarkdownBlockSplitter();
  private tailElement: HTMLElement | undefined;
  private frame: number | undefined;
  private pendingBlocks: string[] = [];
  private text = '';
  private ended = false;
  private waitingForRenderer: (() => void) | undefined;
  /** When the open block may be rendered again (after a slow render of it). */
  private nextTailRenderAt = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly options: { onCodeBlock?: CodeBlockHook; schedule?: (callback: () => void) => number; cancel?: (handle: number) => void; render?: MarkdownRender; now?: () => number } = {},
  ) {}

  /** The element the view renders into. */
  get element(): HTMLElement {
    return this.container;
  }

  /** Everything appended so far. */
  get source(): string {
    return this.text;
  }

  /** Whether everything appended is in the DOM (a long saved answer takes a few frames). */
  get rendered(): boolean {
    return this.pendingBlocks.length === 0 && this.frame === undefined;
  }

  /** Appends streamed text; the DOM catches up on the next frame. */
  append(delta: string): void {
    if (delta === '') return;
    // Text after `end()` (a view created with `setText` of what had streamed so far) reopens the stream.
    this.ended = false;
    this.text += delta;
    this.pendingBlocks.push(...this.splitter.append(delta));
    this.scheduleFlush();
  }

  /** Replaces everything with `text` (a saved answer): what fits in one frame's budget is rendered at once, the rest in the next frames. */
  setText(text: string): void {
    this.clear();
    this.append(text);
    this.end();
  }

  /** Marks the stream finished and renders what is left (now, or over the next frames when it is long). */
  end(): void {
    this.ended = true;
    this.pendingBlocks.push(...this.splitter.finish());
    this.renderFor(FRAME_BUDGET_MS);
  }

  /** Removes all content. */
  clear(): void {
    this.cancelFrame();
    this.splitter = new MarkdownBlockSplitter();
    this.pendingBlocks = [];
    this.tailElement = undefined;
    this.text = '';
    this.ended = false;
    this.nextTailRenderAt = 0;
    this.container.replaceChildren();
  }

  /** Renders all pending changes now, however long it takes (tests and benchmarks call this instead of waiting). */
  flush(final = false): void {
    this.cancelFrame();
    this.renderBlocks(Infinity);
    this.renderTail(final || this.ended, true);
  }

  private renderFor(budgetMs: number): void {
    this.cancelFrame();
    const deadline = this.now() + budgetMs;
    const done = this.renderBlocks(deadline);
    // The open block waits for the next frame when the finished ones used this frame's budget.
    if (!done || (this.now() >= deadline && !this.ended)) {
      this.scheduleFlush();
      return;
    }
    if (!this.renderTail(this.ended, false)) this.scheduleFlush();
  }

  /** Renders finished blocks until `deadline`; whether all are done. */
  private renderBlocks(deadline: number): boolean {
    const render = this.renderer();
    let index = 0;
    while (index < this.pendingBlocks.length) {
      const source = this.pendingBlocks[index] as string;
      index += 1;
      const element = this.takeTailElement();
      element.innerHTML = render(source);
      element.classList.remove('md-open');
      if (element.querySelector('pre code')) this.options.onCodeBlock?.(element);
      if (this.now() >= deadline) break;
    }
    this.pendingBlocks = this.pendingBlocks.slice(index);
    return this.pendingBlocks.length === 0;
  }

  /** Renders the open block; false when it was left for a later frame because the last render of it was slow. */
  private renderTail(final: boolean, force: boolean): boolean {
    const tail = final ? '' : this.splitter.tail;
    if (tail.trim() === '') {
      this.tailElement?.remove();
      this.tailElement = undefined;
      return true;
    }
    const started = this.now();
    if (!force && started < this.nextTailRenderAt) return false;
    this.tailElement ??= this.newBlockElement();
    this.tailElement.classList.add('md-open');
    this.tailElement.innerHTML = this.renderer()(tail);
    const took = this.now() - started;
    this.nextTailRenderAt = this.now() + 4 * took;
    return true;
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

  private now(): number {
    return (this.options.now ?? performance.now.bind(performance))();
  }

  private cancelFrame(): void {
    if (this.frame !== undefined) (this.options.cancel ?? cancelAnimationFrame)(this.frame);
    this.frame = undefined;
  }

  private scheduleFlush(): void {
    if (this.frame !== undefined) return;
    this.frame = (this.options.schedule ?? requestAnimationFrame)(() => {
      this.frame = undefined;
      this.renderFor(FRAME_BUDGET_MS);
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
