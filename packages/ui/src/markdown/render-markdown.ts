import DOMPurify from 'dompurify';
import { safeLinkUrl } from '../safe-url.js';
import { parseMarkdown } from './parse-markdown.js';
import { plainTextHtml } from './plain-text-html.js';

/**
 * Renders one Markdown block to sanitised HTML. Model output (and anything stored in the
 * graph) is untrusted, so:
 * - only what Markdown itself produces survives (paragraphs, headings, lists, quotes, code,
 *   emphasis, links, tables, rules, task-list checkboxes), with no `id`, `name`, `style` or
 *   `class` other than `language-*` on code: a reply cannot run code, load anything, or pass
 *   for the block's own buttons, notices or containers;
 * - links open in a new tab without opener or referrer, and only to http(s) or mailto;
 * - images never load by themselves: each becomes a link the person can follow;
 * - a block past the parsing limits, or one the parser fails on, is shown as escaped text.
 */
export function renderMarkdownBlock(source: string): string {
  const html = parseMarkdown(source);
  if (html === undefined) return plainTextHtml(source);
  try {
    return purifier().sanitize(html, SANITIZE_CONFIG);
  } catch {
    return plainTextHtml(source);
  }
}

/** The elements marked emits, and nothing else (raw HTML in the text keeps only its text). */
const ALLOWED_TAGS = [
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
  'img',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'hr',
  'br',
  'input',
];

/** Attributes marked emits, per element; checked again in `keepAttribute`. */
const ALLOWED_ATTRIBUTES: Record<string, (value: string) => boolean> = {
  'a href': () => true, // checked with safeLinkUrl after sanitising
  'a title': () => true,
  'img src': () => true, // the image becomes a link (see the element hook)
  'img alt': () => true,
  'img title': () => true,
  'th align': (value) => /^(left|center|right)$/.test(value),
  'td align': (value) => /^(left|center|right)$/.test(value),
  'ol start': (value) => /^\d{1,9}$/.test(value),
  'input type': (value) => value === 'checkbox',
  'input checked': () => true,
  'input disabled': () => true,
  'code class': (value) => /^language-[\w#+.-]{1,40}$/.test(value),
};

const SANITIZE_CONFIG = {
  ALLOWED_TAGS,
  ALLOWED_ATTR: ['href', 'title', 'src', 'alt', 'align', 'start', 'type', 'checked', 'disabled', 'class'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
};

let configured: ReturnType<typeof DOMPurify> | undefined;

function purifier(): ReturnType<typeof DOMPurify> {
  if (configured) return configured;
  const instance = DOMPurify(window);
  /** Links this renderer made from images: the only elements that get a class of ours. */
  const imageLinks = new WeakSet<Element>();
  instance.addHook('uponSanitizeElement', (node, data) => {
    if (!(node instanceof Element)) return;
    // An <img> would fetch a remote URL as soon as it renders; offer a link instead.
    if (data.tagName === 'img') {
      const link = node.ownerDocument.createElement('a');
      const src = node.getAttribute('src') ?? '';
      const href = safeLinkUrl(src);
      if (href) link.setAttribute('href', href);
      link.textContent = `Image: ${node.getAttribute('alt') || src || 'untitled'}`;
      imageLinks.add(link);
      node.replaceWith(link);
    } else if (node.hasAttribute('is')) {
      // An element keeps the `is` it was parsed with (DOMPurify can only empty the attribute):
      // a fresh element of the same kind, with the same content, takes its place.
      const plain = node.ownerDocument.createElement(data.tagName);
      for (const { name, value } of node.attributes) {
        try {
          if (name !== 'is') plain.setAttribute(name, value); // sanitised in turn, like every element
        } catch {
          // A name the parser accepts but setAttribute does not: dropped.
        }
      }
      plain.append(...node.childNodes);
      node.replaceWith(plain);
    } else if (data.tagName === 'input' && node.getAttribute('type') !== 'checkbox') {
      // Only task-list checkboxes: never a field that could pass for the block's own.
      node.remove();
    }
  });
  instance.addHook('uponSanitizeAttribute', (node, data) => {
    const check = ALLOWED_ATTRIBUTES[`${node.nodeName.toLowerCase()} ${data.attrName}`];
    if (!check?.(data.attrValue)) data.keepAttr = false;
  });
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node instanceof HTMLAnchorElement) {
      const href = safeLinkUrl(node.getAttribute('href'));
      if (href) node.setAttribute('href', href);
      else node.removeAttribute('href');
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow ugc');
      if (imageLinks.has(node)) node.className = 'md-image-link';
    } else if (node instanceof HTMLInputElement) {
      node.setAttribute('disabled', '');
    }
  });
  configured = instance;
  return instance;
}
