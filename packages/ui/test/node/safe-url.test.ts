import { describe, expect, it } from 'vitest';
import { safeImageUrl, safeLinkUrl } from '../../src/safe-url.js';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('safeImageUrl', () => {
  it('accepts https, loopback http, blob and data PNG/JPEG/GIF/WebP', () => {
    for (const url of [
      'https://files.example/a.png',
      'http://localhost:8080/a.png',
      'http://127.0.0.1/a.png',
      'http://[::1]/a.png',
      'http://app.localhost/a.png',
      'blob:https://page.example/6d0c',
      PNG,
      'data:image/jpeg,xyz',
      'DATA:image/GIF;base64,R0lG',
      'data:image/webp;base64,UklG',
    ]) {
      expect(safeImageUrl(url), url).toBeTypeOf('string');
    }
  });

  it('refuses script, other data types, remote http, files, credentials and junk', () => {
    for (const url of [
      'javascript:__hit("download")',
      ' javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      '\u0001javascript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html,<script>alert(1)</script>',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:image/png',
      'data:,hello',
      'http://tracker.example/kept-image.png',
      'http://127.0.0.1.evil.example/a.png',
      'file:///etc/passwd',
      'ftp://files.example/a.png',
      'https://user:secret@files.example/a.png',
      'about:blank',
      '',
      'not a url',
      42,
      undefined,
    ]) {
      expect(safeImageUrl(url, undefined), String(url)).toBeUndefined();
    }
  });

  it('resolves a relative URL against the page and keeps it on the page origin only', () => {
    expect(safeImageUrl('/files/a.png', 'http://host.example/page')).toBe('http://host.example/files/a.png');
    expect(safeImageUrl('//tracker.example/a.png', 'http://host.example/page')).toBeUndefined();
    expect(safeImageUrl('/files/a.png', undefined)).toBeUndefined();
  });

  it('returns the normalised URL that was checked', () => {
    expect(safeImageUrl('  https://files.example/a b.png ')).toBe('https://files.example/a%20b.png');
  });
});

describe('safeLinkUrl', () => {
  it('keeps http(s) and mailto links, refuses script, data, blob and relative links', () => {
    expect(safeLinkUrl('https://example.com/x')).toBe('https://example.com/x');
    expect(safeLinkUrl('http://example.com/')).toBe('http://example.com/');
    expect(safeLinkUrl('mailto:a@b.example')).toBe('mailto:a@b.example');
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,x',
      'blob:https://a.example/1',
      '/relative',
      '#top',
      'vbscript:x',
      'https://u:p@example.com/',
    ])
      expect(safeLinkUrl(url), url).toBeUndefined();
  });
});
