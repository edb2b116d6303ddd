// BibTeX for a paper, arXiv-style: @misc with eprint, archivePrefix and primaryClass. Pure.
// arXiv titles and abstracts are TeX-ish text: math ($x^2$) and accents (\"o) are kept as written;
// characters that break BibTeX or LaTeX outside math (& % # _ and stray braces, $, ^, ~) are escaped.
import type { Paper } from '../papers/paper.ts';

export function paperToBibtex(p: Paper): string {
  const year = (p.submittedAt ?? p.announcedOn).slice(0, 4);
  const fields: Array<[string, string]> = [
    ['title', texField(p.title)],
    ['author', p.authors.map(bibAuthor).join(' and ')],
    ['year', year],
    ['eprint', p.arxivId],
    ['archivePrefix', 'arXiv'],
    ['primaryClass', p.primaryCategory],
    ['url', `https://arxiv.org/abs/${p.arxivId}`],
  ];
  if (p.doi) fields.push(['doi', texField(p.doi, { verbatim: true })]);
  if (p.journalRef) fields.push(['note', texField(p.journalRef)]);
  const body = fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n');
  return `@misc{${citationKey(p)},\n${body}\n}\n`;
}

/** e.g. lovelace2026attention: first author's family name, year, first significant title word. */
export function citationKey(p: Paper): string {
  const family = (p.authors[0] ?? 'anonymous').trim().split(/\s+/).pop() ?? 'anonymous';
  const word = p.title.split(/\s+/).map(asciiWord).find((w) => w.length > 3 && !STOP_WORDS.has(w)) ?? '';
  const year = (p.submittedAt ?? p.announcedOn).slice(0, 4);
  return `${asciiWord(family) || 'anonymous'}${year}${word}`;
}

const STOP_WORDS = new Set(['with', 'from', 'that', 'this', 'into', 'over', 'towards', 'toward', 'when', 'what', 'which', 'their', 'using', 'via']);

function asciiWord(s: string): string {
  return s.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

/** One author for the `and`-separated list; names that would confuse BibTeX's parser are braced. */
function bibAuthor(name: string): string {
  const text = texField(name);
  return /,|\band\b/i.test(name) ? `{${text}}` : text;
}

/**
 * Text safe inside a braced BibTeX field. Outside $…$ math: unescaped & % # _ get a backslash, a
 * lone ^ or ~ becomes a text command. Braces must balance for BibTeX to find the field's end, so
 * unbalanced ones become \textbraceleft{} / \textbraceright{}; an unpaired $ becomes \$.
 */
export function texField(input: string, opts: { verbatim?: boolean } = {}): string {
  const s = input.replace(/\s+/g, ' ').trim();
  if (opts.verbatim) return balanceBraces(s.replace(/[{}]/g, ''));
  let out = '';
  let inMath = false;
  const dollars = countUnescaped(s, '$');
  let dollarsSeen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const escaped = i > 0 && s[i - 1] === '\\' && !(i > 1 && s[i - 2] === '\\');
    if (c === '$' && !escaped) {
      dollarsSeen++;
      // An odd final dollar has no partner: print it literally.
      if (!inMath && dollarsSeen === dollars && dollars % 2 === 1) {
        out += '\\$';
        continue;
      }
      inMath = !inMath;
      out += c;
      continue;
    }
    if (!inMath && !escaped) {
      if ('&%#_'.includes(c)) {
        out += `\\${c}`;
        continue;
      }
      if (c === '^') {
        out += '\\textasciicircum{}';
        continue;
      }
      if (c === '~') {
        out += '\\textasciitilde{}';
        continue;
      }
    }
    out += c;
  }
  return balanceBraces(out);
}

function countUnescaped(s: string, ch: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s[i] === ch && s[i - 1] !== '\\') n++;
  return n;
}

/** Keeps matched brace pairs; replaces every unmatched one with a text command. */
function balanceBraces(s: string): string {
  const unmatched = new Set<number>();
  const open: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') open.push(i);
    else if (s[i] === '}') {
      if (open.length > 0) open.pop();
      else unmatched.add(i);
    }
  }
  for (const i of open) unmatched.add(i);
  if (unmatched.size === 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (!unmatched.has(i)) {
      out += s[i];
      continue;
    }
    if (out.endsWith('\\')) out = out.slice(0, -1); // an escaped brace: the command replaces the escape
    out += s[i] === '{' ? '\\textbraceleft{}' : '\\textbraceright{}';
  }
  return out;
}
