import { describe, expect, it } from 'vitest';

import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders headings, lists, emphasis, tables and code', () => {
    const html = renderMarkdown(
      '# Report\n\n- **bold** and *em*\n- `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    );
    expect(html).toContain('<h1>Report</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>em</em>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<td>1</td>');
  });

  it('shows raw HTML as text, never as markup', () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> <b>x</b>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('links only to http(s) and mailto, and loads no image', () => {
    expect(renderMarkdown('[site](https://example.org/a)')).toContain(
      '<a href="https://example.org/a">site</a>',
    );
    expect(renderMarkdown('[mail](mailto:a@example.org)')).toContain('href="mailto:a@example.org"');
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,x',
      '#/settings',
    ]) {
      expect(renderMarkdown(`[x](${bad})`)).not.toContain('href');
    }
    const image = renderMarkdown('![tracker](https://example.org/pixel.png)');
    expect(image).not.toContain('<img');
  });
});
