import { MarkdownBlockSplitter } from './block-splitter.js';
import { markdownRender, plainTextHtml, whenMarkdownRendererReady, type MarkdownRender } from './markdown-renderer.js';
import { sharedTaskBudget, type TaskBudget } from './task-budget.js';

/** Called with each finished block element that contains code, e.g. to highlight it lazily. */
export type CodeBlockHook = (block: HTMLElement) => void;

/** Characters of a long saved text split into blocks at a time (~1 ms). */
const SPLIT_CHARS = 65_536;

/** Options of a view; all but `onCodeBlock` and `onRendered` are for tests. */
export interface StreamingMarkdownViewOptions {
  onCodeBlock?: CodeBlockHook;
  /** Called after a task or frame put more of the text on screen (e.g. to keep a thread scrolled to its end). */
  onRendered?: () => void;
  schedule?: (callback: () => void) => number;
  cancel?: (handle: number) => void;
  render?: MarkdownRender;
  now?: () => number;
  /** What one task may render and insert, shared by all views unless given. */
  budget?: TaskBudget;
}

/**
 * Renders streamed Markdown into a container element. Finished blocks are rendered once and
 * never touched again; only the open block is re-rendered, at most once per animation frame,
 * so the cost of each new token does not grow with the length of the answer.
 *
 * No frame does long work: finished blocks are rendered for at most ~6 ms, and ~16 K characters
 * of HTML inserted, a frame, all views together (a long saved answer appears over a few frames;
 * see TaskBudget), and the open block is re-rendered less often when rendering it is slow, so
 * that it takes at most about a fifth of the time.
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
  /** Text given to `setText` that is not yet split into blocks (a long one is split a part per frame). */
  private unsplit = '';
  /** Finished blocks put on screen so far. */
  private blocksShown = 0;
  /** How long the last finished block took to render (the next one is expected to take as long). */
  private lastBlockMs = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly options: StreamingMarkdownViewOptions = {},
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
    return this.pendingBlocks.length === 0 && this.unsplit === '' && this.frame === undefined;
  }

  /** Appends streamed text; the DOM catches up on the next frame. */
  append(delta: string): void {
    if (delta === '') return;
    // Text after `end()` (a view created with `setText` of what had streamed so far) reopens the stream.
    this.ended = false;
    this.text += delta;
    // Behind text still waiting to be split (a long setText), the delta waits too, in order.
    if (this.unsplit === '') this.pendingBlocks.push(...this.splitter.append(delta));
    else this.unsplit += delta;
    this.scheduleFlush();
  }

  /**
   * Replaces everything with `text` (a saved answer): what fits in this task's budget is rendered
   * at once, the rest in the next frames. Even splitting a long text into blocks is spread over them.
   */
  setText(text: string): void {
    this.clear();
    this.text = text;
    this.unsplit = text;
    this.end();
  }

  /** Marks the stream finished and renders what is left (now, or over the next frames when it is long). */
  end(): void {
    this.ended = true;
    if (this.unsplit === '') this.pendingBlocks.push(...this.splitter.finish());
    this.renderFor();
  }

  /** Removes all content. */
  clear(): void {
    this.cancelFrame();
    this.splitter = new MarkdownBlockSplitter();
    this.pendingBlocks = [];
    this.unsplit = '';
    this.tailElement = undefined;
    this.text = '';
    this.ended = false;
    this.nextTailRenderAt = 0;
    this.container.replaceChildren();
  }

  /** Renders all pending changes now, however long it takes (tests and benchmarks call this instead of waiting). */
  flush(final = false): void {
    this.cancelFrame();
    this.renderBlocks(false);
    this.renderTail(final || this.ended, true);
  }

  /** Renders what this task's budget allows; the rest is left for the next frame. */
  private renderFor(): void {
    this.cancelFrame();
    const before = this.blocksShown;
    const done = this.renderBlocks(true);
    let shown = this.blocksShown > before;
    // The open block waits for the next frame when the finished ones used this task's budget.
    if (!done || (!this.budget.allows(this.lastBlockMs) && !this.ended)) this.scheduleFlush();
    else if (this.renderTail(this.ended, false)) shown = true;
    else this.scheduleFlush();
    if (shown) this.options.onRendered?.();
  }

  /** Renders finished blocks (while the task's budget lasts, when `limited`); whether all are done. */
  private renderBlocks(limited: boolean): boolean {
    const render = this.renderer();
    let index = 0;
    while (!limited || this.budget.allows(this.lastBlockMs)) {
      if (index >= this.pendingBlocks.length) {
        if (this.unsplit === '') break;
        this.pendingBlocks = [];
        index = 0;
        this.splitSome(limited);
        continue;
      }
      const source = this.pendingBlocks[index] as string;
      index += 1;
      this.blocksShown += 1;
      const started = this.now();
      const element = this.takeTailElement();
      const html = render(source);
      element.innerHTML = html;
      element.classList.remove('md-open');
      if (element.querySelector('pre code')) this.options.onCodeBlock?.(element);
      this.lastBlockMs = this.now() - started;
      this.budget.spend(this.lastBlockMs, html.length);
    }
    this.pendingBlocks = this.pendingBlocks.slice(index);
    return this.pendingBlocks.length === 0 && this.unsplit === '';
  }

  /** Splits the next part of the text that `setText` left unsplit (all of it unless `limited`). */
  private splitSome(limited: boolean): void {
    const started = this.now();
    const piece = limited ? this.unsplit.slice(0, SPLIT_CHARS) : this.unsplit;
    this.unsplit = this.unsplit.slice(piece.length);
    this.pendingBlocks.push(...this.splitter.append(piece));
    if (this.unsplit === '' && this.ended) this.pendingBlocks.push(...this.splitter.finish());
    this.budget.spend(this.now() - started, 0);
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
    const html = this.renderer()(tail);
    this.tailElement.innerHTML = html;
    const took = this.now() - started;
    this.budget.spend(took, html.length);
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
      if (ended) {
        this.setText(text);
      } else {
        this.clear();
        this.append(text);
      }
    });
    return plainTextHtml;
  }

  private get budget(): TaskBudget {
    return this.options.budget ?? sharedTaskBudget;
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
      this.renderFor();
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
