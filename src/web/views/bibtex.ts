// A BibTeX entry for a paper, in the @misc form arXiv itself suggests. Pure.
import type { Paper } from '../../papers/index.ts';

/** citation key: first author's family name + year + first meaningful title word, e.g. vaswani2017attention. */
export function bibtexKey(p: Paper): string {
  const family = (p.authors[0] ?? 'anon').trim().split(/\s+/).pop() ?? 'anon';
  const word = p.title.replace(/\$[^$]*\$/g, ' ').split(/[^\p{L}\p{N}]+/u).find((w) => w.length > 3 && !STOP.has(w.toLowerCase())) ?? 'paper';
  return `${ascii(family)}${year(p)}${ascii(word)}`;
}

const STOP = new Set(['with', 'from', 'that', 'this', 'towards', 'toward', 'into', 'over', 'under', 'when', 'what', 'your']);

function year(p: Paper): string {
  return (p.submittedAt ?? p.announcedOn).slice(0, 4);
}

function ascii(s: string): string {
  return s.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

/** Escapes BibTeX/LaTeX specials outside $…$ maths and keeps braces balanced. */
function field(s: string): string {
  const parts = s.split(/(\$[^$]*\$)/);
  const out = parts.map((part, i) => (i % 2 === 1 ? part : part.replace(/(?<!\\)([&%#_])/g, '\\$1'))).join('');
  let depth = 0;
  for (const c of out) {
    depth += c === '{' ? 1 : c === '}' ? -1 : 0;
    if (depth < 0) break;
  }
  return depth === 0 ? out : out.replace(/[{}]/g, '');
}

export function bibtexFor(p: Paper): string {
  const lines = [
    `@misc{${bibtexKey(p)},`,
    `  title         = {${field(p.title)}},`,
    `  author        = {${p.authors.map(field).join(' and ')}},`,
    `  year          = {${year(p)}},`,
    `  eprint        = {${p.arxivId}},`,
    `  archivePrefix = {arXiv},`,
    `  primaryClass  = {${p.primaryCategory}},`,
    ...(p.doi ? [`  doi           = {${field(p.doi)}},`] : []),
    `  url           = {https://arxiv.org/abs/${p.arxivId}}`,
    `}`,
  ];
  return lines.join('\n');
}
