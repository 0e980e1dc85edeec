import { noChange, nothing } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import { StreamingMarkdownView, type StreamingMarkdownViewOptions } from './streaming-markdown-view.js';

/** Each element's view, for tests and tools that wait until it is all on screen; it goes with its element. */
const views = new WeakMap<Element, StreamingMarkdownView>();

class MarkdownViewDirective extends Directive {
  private view: StreamingMarkdownView | undefined;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT)
      throw new Error('markdownView() belongs on an element, e.g. <div ${markdownView(text)}>');
  }

  /**
   * The directive's arguments: the Markdown text, and the view's options (read once). The element's content is written
   * in `update`.
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- Lit takes the directive's signature from render()
  render(text: string, options?: StreamingMarkdownViewOptions): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [text, options]: Parameters<MarkdownViewDirective['render']>): typeof noChange {
    const element = part.element as HTMLElement;
    if (this.view?.element !== element) {
      this.view = new StreamingMarkdownView(element, options);
      views.set(element, this.view);
      this.view.setText(text);
    } else if (this.view.source !== text) {
      this.view.setText(text);
    }
    return noChange;
  }
}

/**
 * Renders saved Markdown (a chat's reply) into the element it is on, the way a streamed reply
 * is rendered: block by block within each frame's budget, so a long text appears over a few
 * frames and never in one long task. The element's content belongs to the directive; the
 * options are read when the element first renders.
 *
 * @example html`<div class="body markdown" ${markdownView(reply.text, { onCodeBlock: highlighter })}></div>`
 */
export const markdownView = directive(MarkdownViewDirective);

/** The view rendering into `element` through `markdownView`, if any. */
export function markdownViewOf(element: Element): StreamingMarkdownView | undefined {
  return views.get(element);
}
