import DOMPurify from 'dompurify';
import { Marked } from 'marked';

/**
 * Renders one Markdown block to sanitised HTML. Model output is untrusted: DOMPurify removes
 * scripts, event handlers and `javascript:` URLs; links open in a new tab without an opener or
 * referrer; images are never loaded by themselves — each becomes a link the person can follow.
 */
export function renderMarkdownBlock(source: string): string {
  const html = marked.parse(source, { async: false });
  return purifier().sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'picture', 'link', 'meta', 'base'],
    FORBID_ATTR: ['style', 'srcset', 'ping', 'background', 'poster', 'formaction'],
  });
}

const marked = new Marked({ gfm: true, breaks: false });

let configured: ReturnType<typeof DOMPurify> | undefined;

function purifier(): ReturnType<typeof DOMPurify> {
  if (configured) return configured;
  const instance = DOMPurify(window);
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node instanceof HTMLAnchorElement) {
      if (!/^(https?:|mailto:)/i.test(node.getAttribute('href') ?? '')) {
        node.removeAttribute('href');
      }
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow ugc');
    }
  });
  instance.addHook('uponSanitizeElement', (node, data) => {
    // An <img> would fetch a remote URL as soon as it renders; offer a link instead.
    if (data.tagName === 'img' && node instanceof HTMLElement) {
      const link = node.ownerDocument.createElement('a');
      const src = node.getAttribute('src') ?? '';
      if (/^https?:/i.test(src)) link.setAttribute('href', src);
      link.textContent = `Image: ${node.getAttribute('alt') || src || 'untitled'}`;
      link.className = 'md-image-link';
      node.replaceWith(link);
    }
  });
  configured = instance;
  return instance;
}
