import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trusted } from './html';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('leaves other text, accents included, alone', () => {
    expect(escapeHtml('Sabiá — Störung')).toBe('Sabiá — Störung');
  });
});

describe('html', () => {
  it('escapes interpolated strings and numbers', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<li data-pos="${3}">${name}</li>`.value).toBe('<li data-pos="3">&lt;script&gt;alert(1)&lt;/script&gt;</li>');
  });

  it('passes nested html, trusted markup and arrays through without double escaping', () => {
    const items = ['a&b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${trusted('<hr>')}`.value).toBe('<ul><li>a&amp;b</li><li>c</li></ul><hr>');
  });
});
