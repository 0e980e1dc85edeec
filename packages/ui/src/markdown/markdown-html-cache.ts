import { MarkdownBlockSplitter, SOFT_BLOCK_CHARS } from './block-splitter.js';
import { markdownRender, type MarkdownRender } from './markdown-renderer.js';
import { plainTextHtml } from './plain-text-html.js';

/** Most time (ms) one task spends rendering Markdown, synchronously or in the background. */
const TASK_BUDGET_MS = 10;

interface Job {
  key: string;
  text: string;
  blocks: string[];
  done: number;
  html: string;
}

/**
 * Rendered HTML of saved Markdown texts (a chat's messages) for use inside a Lit `render()`,
 * which must never do long work: a short text is rendered on the spot while the task's budget
 * lasts; a long one (or any once the budget is spent) shows as escaped text and is rendered
 * block by block in later tasks, ~10 ms each, then `onRendered` asks for a new render.
 *
 * Holds only what `retain` names (the messages shown), so a long chat with many branches does
 * not keep every message ever shown.
 */
export class MarkdownHtmlCache {
  private readonly entries = new Map<string, { text: string; html: string }>();
  private readonly queue = new Map<string, string>();
  private readonly placeholders = new Map<string, { text: string; html: string }>();
  private job: Job | undefined;
  private spentMs = 0;
  private budgetReset = false;
  private working = false;

  constructor(
    private readonly options: {
      /** Called (in a later task) when texts that showed as plain text are rendered. */
      onRendered: () => void;
      render?: () => MarkdownRender | undefined;
      now?: () => number;
      /** Runs a callback in a later task. */
      later?: (callback: () => void) => void;
    },
  ) {}

  /** HTML for the text saved under `key`: Markdown when rendered, escaped text until then. */
  html(key: string, text: string): string {
    const cached = this.entries.get(key);
    if (cached?.text === text) return cached.html;
    const render = this.renderer();
    if (!render) return this.placeholder(key, text);
    if (text.length <= SOFT_BLOCK_CHARS && this.spentMs < TASK_BUDGET_MS) {
      const started = this.now();
      const html = renderBlocks(render, splitBlocks(text));
      this.spend(this.now() - started);
      this.entries.set(key, { text, html });
      return html;
    }
    this.queue.set(key, text);
    this.work();
    return this.placeholder(key, text);
  }

  /** The text as escaped plain text, block by block (one huge element would take long to lay out). */
  private placeholder(key: string, text: string): string {
    const held = this.placeholders.get(key);
    if (held?.text === text) return held.html;
    const html = splitBlocks(text)
      .map((block) => `<div class="md-block">${plainTextHtml(block)}</div>`)
      .join('');
    this.placeholders.set(key, { text, html });
    return html;
  }

  /** Keeps only the entries (and pending renders) of these keys. */
  retain(keys: Iterable<string>): void {
    const kept = new Set(keys);
    for (const key of [...this.entries.keys()]) if (!kept.has(key)) this.entries.delete(key);
    for (const key of [...this.queue.keys()]) if (!kept.has(key)) this.queue.delete(key);
    for (const key of [...this.placeholders.keys()]) if (!kept.has(key)) this.placeholders.delete(key);
    if (this.job && !kept.has(this.job.key)) this.job = undefined;
  }

  /** How many texts are held (rendered or waiting): for tests of the pruning. */
  get size(): number {
    return new Set([...this.entries.keys(), ...this.queue.keys()]).size;
  }

  /** Forgets everything (the renderer changed). */
  clear(): void {
    this.entries.clear();
    this.queue.clear();
    this.placeholders.clear();
    this.job = undefined;
  }

  private renderer(): MarkdownRender | undefined {
    return this.options.render ? this.options.render() : markdownRender();
  }

  private now(): number {
    return (this.options.now ?? performance.now.bind(performance))();
  }

  private later(callback: () => void): void {
    (this.options.later ?? ((run) => void setTimeout(run, 0)))(callback);
  }

  /** Counts time spent in this task; the count starts again in the next task. */
  private spend(ms: number): void {
    this.spentMs += ms;
    if (this.budgetReset) return;
    this.budgetReset = true;
    this.later(() => {
      this.spentMs = 0;
      this.budgetReset = false;
    });
  }

  private work(): void {
    if (this.working) return;
    this.working = true;
    this.later(() => {
      this.working = false;
      this.step();
    });
  }

  /** One background task: renders queued texts block by block until the budget is spent. */
  private step(): void {
    const render = this.renderer();
    if (!render) return;
    const deadline = this.now() + TASK_BUDGET_MS;
    let finished = false;
    while (this.now() < deadline) {
      const job = this.nextJob();
      if (!job) break;
      const block = job.blocks[job.done];
      if (block !== undefined) {
        job.html += renderBlock(render, block);
        job.done += 1;
      }
      if (job.done >= job.blocks.length) {
        this.entries.set(job.key, { text: job.text, html: job.html });
        this.queue.delete(job.key);
        this.placeholders.delete(job.key);
        this.job = undefined;
        finished = true;
      }
    }
    if (this.queue.size > 0) this.work();
    if (finished) this.options.onRendered();
  }

  private nextJob(): Job | undefined {
    if (this.job && this.queue.get(this.job.key) === this.job.text) return this.job;
    const first = this.queue.entries().next();
    if (first.done) return (this.job = undefined);
    const [key, text] = first.value;
    this.job = { key, text, blocks: splitBlocks(text), done: 0, html: '' };
    return this.job;
  }
}

function splitBlocks(text: string): string[] {
  const splitter = new MarkdownBlockSplitter();
  return [...splitter.append(text), ...splitter.finish()];
}

function renderBlocks(render: MarkdownRender, blocks: string[]): string {
  return blocks.map((block) => renderBlock(render, block)).join('');
}

/** One block in its own element, as the streaming view renders it (styles may skip laying out blocks off screen). */
function renderBlock(render: MarkdownRender, block: string): string {
  let html: string;
  try {
    html = render(block);
  } catch {
    // A renderer that throws must not break the block that shows the text.
    html = plainTextHtml(block);
  }
  return `<div class="md-block">${html}</div>`;
}
