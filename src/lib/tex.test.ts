import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sanitizeMathml, splitTex, texHtml } from './tex.ts';

/** Every tag in a piece of markup, by name. */
function tagNames(markup: string): string[] {
  return [...markup.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

/** Every attribute name inside a tag. */
function attributeNames(markup: string): string[] {
  return [...markup.matchAll(/<[a-zA-Z][^>]*>/g)].flatMap((t) => [...t[0].matchAll(/\s([^\s=>]+)=/g)].map((a) => a[1]!.toLowerCase()));
}

const SAFE_ATTRIBUTES = /^(class|encoding|fence|form|stretchy|display|displaystyle|scriptlevel|mathvariant|width|height|depth|lspace|rspace|movablelimits|columnalign|rowspacing|linebreak|notation|accent|symmetric|minsize|maxsize|separator|voffset|mathsize|linethickness|mathbackground)$/;

// Text-mode TeX outside maths: \emph, \textbf, \texttt.
const TEXT_TAGS = new Set(['em', 'strong', 'code']);
const MATHML = new Set(['math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'mtext', 'mspace', 'mpadded', 'mfrac', 'msqrt', 'mroot', 'msub', 'msup', 'msubsup', 'munder', 'mover', 'munderover', 'mtable', 'mtr', 'mtd', 'mstyle', 'menclose']);

describe('splitTex', () => {
  it('finds inline and display maths with each delimiter', () => {
    expect(splitTex('a $x^2$ b $$y$$ c \\(z\\) d \\[w\\]')).toEqual([
      { kind: 'text', value: 'a ' },
      { kind: 'math', value: 'x^2', source: '$x^2$', display: false },
      { kind: 'text', value: ' b ' },
      { kind: 'math', value: 'y', source: '$$y$$', display: true },
      { kind: 'text', value: ' c ' },
      { kind: 'math', value: 'z', source: '\\(z\\)', display: false },
      { kind: 'text', value: ' d ' },
      { kind: 'math', value: 'w', source: '\\[w\\]', display: true },
    ]);
  });

  it('keeps escaped dollars, lone dollars and empty spans as text', () => {
    expect(splitTex('costs \\$5 or $ 10')).toEqual([{ kind: 'text', value: 'costs $5 or $ 10' }]);
    expect(splitTex('empty $$ here')).toEqual([{ kind: 'text', value: 'empty $$ here' }]);
    expect(splitTex('a $\\$x$ b')[1]).toEqual({ kind: 'math', value: '\\$x', source: '$\\$x$', display: false });
  });
});

describe('texHtml', () => {
  it('renders maths as MathML keeping the TeX in an annotation', () => {
    const out = texHtml('Let $x^2 < y$ hold').value;
    expect(out).toMatch(/^Let <math><semantics>/);
    expect(out).toContain('<msup><mi>x</mi><mn');
    expect(out).toContain('<annotation encoding="application/x-tex">x^2 &lt; y</annotation>');
    expect(out).toMatch(/<\/math> hold$/);
  });

  it('renders display maths as a block', () => {
    expect(texHtml('$$\\frac{1}{2}$$').value).toContain('<math display="block"');
  });

  it('escapes text around the maths', () => {
    expect(texHtml('<b>bold</b> & $x$').value).toMatch(/^&lt;b&gt;bold&lt;\/b&gt; &amp; <math>/);
    expect(texHtml('no maths <i>here</i>').value).toBe('no maths &lt;i&gt;here&lt;/i&gt;');
  });

  it('never turns hostile input into markup', () => {
    const hostile = [
      '$<img src=x onerror=alert(1)>$',
      '$\\href{javascript:alert(1)}{click}$',
      '$\\url{javascript:alert(1)}$',
      '$\\includegraphics{https://evil.example/x.png}$',
      '$\\htmlData{onclick=alert(1)}{x}$',
      '$\\class{x" onclick="alert(1)}{x}$',
      '$\\text{<script>alert(1)</script>}$',
      '$x$</math><script>alert(1)</script>$y$',
      '$\\def\\a{\\a\\a}\\a$',
      '\\(<svg onload=alert(1)>\\)',
      '$$\\color{red}{x}\\textcolor{blue}{y}$$',
      '$"><img src=x onerror=alert(1)>$',
      `$\\operatorname{<img src=x>}$`,
    ];
    for (const input of hostile) {
      const out = texHtml(input).value;
      for (const tag of tagNames(out)) expect(MATHML.has(tag) || TEXT_TAGS.has(tag), `<${tag}> from ${input}`).toBe(true);
      for (const name of attributeNames(out)) expect(name, input).toMatch(SAFE_ATTRIBUTES);
    }
  });

  it('drops inline styles, which the CSP would block', () => {
    const out = texHtml('$\\textcolor{red}{x}$ and $\\begin{matrix}a\\\\b\\end{matrix}$').value;
    expect(out).toContain('<mi>x</mi>');
    expect(attributeNames(out)).not.toContain('style');
  });

  it('shows TeX it cannot render as escaped text', () => {
    expect(texHtml('see $\\unicode{x} <b>$ now').value).toBe('see $\\unicode{x} &lt;b&gt;$ now');
  });

  it('renders the maths of real arXiv abstracts, escaping everything else', () => {
    const papers = gunzipSync(readFileSync(new URL('../../sample/arxiv-sample.jsonl.gz', import.meta.url)))
      .toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { title: string; abstract: string });
    const withMaths = papers.filter((p) => p.abstract.includes('$'));
    expect(withMaths.length).toBeGreaterThan(200);
    let rendered = 0;
    for (const p of withMaths) {
      const out = texHtml(p.abstract).value;
      rendered += (out.match(/<math>/g) ?? []).length;
      for (const tag of tagNames(out)) expect(MATHML.has(tag) || TEXT_TAGS.has(tag), `<${tag}> in ${p.title}`).toBe(true);
      for (const name of attributeNames(out)) expect(name).toMatch(SAFE_ATTRIBUTES);
    }
    expect(rendered).toBeGreaterThan(500);
  });
});

describe('sanitizeMathml', () => {
  it('rejects elements and attributes outside the allow-list', () => {
    expect(sanitizeMathml('<math><mi>x</mi></math>')).toBe('<math><mi>x</mi></math>');
    expect(sanitizeMathml('<math><mi style="color:red">x</mi></math>')).toBe('<math><mi>x</mi></math>');
    expect(sanitizeMathml('<math><img src="x"></math>')).toBeUndefined();
    expect(sanitizeMathml('<math><mi onclick="x">x</mi></math>')).toBeUndefined();
    expect(sanitizeMathml('<math><mi href="javascript:x">x</mi></math>')).toBeUndefined();
    expect(sanitizeMathml('<math>a > b</math>')).toBeUndefined();
    expect(sanitizeMathml('<math><mi x=1>x</mi></math>')).toBeUndefined();
  });
});

describe('text-mode TeX outside maths', () => {
  it('renders dashes, quotes, accents and emphasis, and keeps everything else escaped', () => {
    expect(texHtml('Erd\\H{o}s--R\\\'enyi graphs --- a ``survey\'\'').value).toBe('Erdős–Rényi graphs — a “survey”');
    expect(texHtml('G\\"odel and {\\"u}ber, na\\"{\\i}ve').value).toBe('Gödel and über, naïve');
    expect(texHtml('we \\emph{prove} that \\textbf{x<y} holds for $n$').value).toMatch(/^we <em>prove<\/em> that <strong>x&lt;y<\/strong> holds for <math/);
    expect(texHtml('\\emph{<script>alert(1)</script>}').value).toBe('<em>&lt;script&gt;alert(1)&lt;/script&gt;</em>');
    expect(texHtml('50\\% of \\& more').value).toBe('50% of &amp; more');
  });
});
