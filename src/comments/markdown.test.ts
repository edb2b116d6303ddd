import { describe, expect, it } from 'vitest';
import { renderCommentMarkdown as md } from './markdown.ts';

/** Every tag the renderer may emit, and every attribute: anything else in the output is a leak. */
const ALLOWED_TAGS = new Set(['p', 'br', 'strong', 'em', 'code', 'pre', 'a', 'ul', 'ol', 'li', 'blockquote']);
const MATHML = /^(math|semantics|annotation|mrow|mi|mn|mo|mtext|ms|mspace|mpadded|mphantom|mfrac|msqrt|mroot|msub|msup|msubsup|munder|mover|munderover|mtable|mtr|mtd|mstyle|menclose|merror|none|mprescripts|mmultiscripts|mlabeledtr)$/;

function expectInert(out: string): void {
  for (const m of out.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const tag = m[1]!.toLowerCase();
    expect(ALLOWED_TAGS.has(tag) || MATHML.test(tag), `tag <${tag}> in ${out.slice(0, 200)}`).toBe(true);
    for (const a of m[2]!.matchAll(/\s([\w-]+)=/g)) {
      expect(/^on/i.test(a[1]!), `event handler ${a[1]}`).toBe(false);
      if (tag === 'a') expect(['href', 'rel']).toContain(a[1]);
    }
  }
  for (const href of out.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^(https?:\/\/|mailto:)/);
}

describe('comment markdown', () => {
  it('renders paragraphs, line breaks, emphasis and code', () => {
    expect(md('Hello *world*\nsecond line\n\n**Bold** and `a < b`')).toBe('<p>Hello <em>world</em><br>\nsecond line</p>\n<p><strong>Bold</strong> and <code>a &lt; b</code></p>');
    expect(md('snake_case_name stays')).toBe('<p>snake_case_name stays</p>');
    expect(md('an _emphasised_ word')).toBe('<p>an <em>emphasised</em> word</p>');
    expect(md('2 * 3 * 4')).toBe('<p>2 * 3 * 4</p>');
  });

  it('renders lists, quotes and fenced code', () => {
    expect(md('- one\n- two\n\n1. first\n2. second')).toBe('<ul><li>one</li><li>two</li></ul>\n<ol><li>first</li><li>second</li></ol>');
    expect(md('> quoted *text*\n> more\n\nafter')).toBe('<blockquote><p>quoted <em>text</em><br>\nmore</p></blockquote>\n<p>after</p>');
    expect(md('```\n<b>x</b> *no*\n```')).toBe('<pre><code>&lt;b&gt;x&lt;/b&gt; *no*</code></pre>');
  });

  it('links with rel="nofollow ugc noopener", bare URLs too', () => {
    expect(md('[the paper](https://arxiv.org/abs/2501.00001)')).toBe('<p><a href="https://arxiv.org/abs/2501.00001" rel="nofollow ugc noopener">the paper</a></p>');
    expect(md('see https://example.org/a_b_c.')).toBe('<p>see <a href="https://example.org/a_b_c" rel="nofollow ugc noopener">https://example.org/a_b_c</a>.</p>');
    expect(md('(https://en.wikipedia.org/wiki/Foo_(bar))')).toContain('href="https://en.wikipedia.org/wiki/Foo_(bar)"');
    expect(md('[a](https://x.org/?q="><script>)')).toContain('href="https://x.org/?q=&quot;&gt;&lt;script&gt;"');
  });

  it('renders TeX as MathML and leaves broken TeX as text', () => {
    const out = md('Let $x^2$ and $$\\frac{a}{b}$$');
    expect(out).toContain('<math');
    expect(out).toContain('<annotation encoding="application/x-tex">x^2</annotation>');
    expect(out).toContain('display="block"');
    expect(md('broken $\\frac{a}{$ maths')).toBe('<p>broken $\\frac{a}{$ maths</p>');
    expect(md('costs \\$5 and $')).toBe('<p>costs $5 and $</p>');
  });

  it('keeps hostile bodies inert', () => {
    const bodies = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)" onclick="x()">x</a>',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](data:text/html;base64,PHNjcmlwdD4=)',
      '[x](vbscript:msgbox)',
      '[x](//evil.example/)',
      'javascript:alert(1)',
      '$\\href{javascript:alert(1)}{x}$',
      '$\\htmlClass{x}{y}$ $\\url{javascript:alert(1)}$',
      '"><svg onload=alert(1)>',
      '`</code><script>x</script>`',
      '> <iframe src="https://evil.example">',
      '- <style>body{display:none}</style>',
      '**<b onmouseover=alert(1)>x</b>**',
      'x\u0000y <scr\u0000ipt>',
    ];
    for (const body of bodies) {
      const out = md(body);
      expectInert(out);
      expect(out).not.toMatch(/<(script|img|iframe|style|svg)/i);
    }
    expect(md('[click](javascript:alert(1))')).toBe('<p>[click](javascript:alert(1))</p>');
  });

  it('renders 100 KB of pathological input escaped, cut to the render limit', () => {
    const bodies = ['['.repeat(100_000), '*a'.repeat(50_000), '`'.repeat(100_000), '\\('.repeat(50_000), '$'.repeat(100_000), '_x '.repeat(33_000), '> '.repeat(50_000), 'https://'.repeat(12_000), '<'.repeat(100_000)];
    for (const body of bodies) {
      const out = md(body);
      expectInert(out);
      expect(out.length).toBeGreaterThan(0);
    }
    expect(md('<'.repeat(100_000))).toBe(`<p>${'&lt;'.repeat(20_000)}</p>`);
  });
});
