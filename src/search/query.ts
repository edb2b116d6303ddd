// The search box's query language, parsed into a plain value. Pure and total: any string parses,
// and what cannot be understood is kept as words or reported in `notes`, never thrown.
//   words              attention transformer
//   "quoted phrase"    "large language model"
//   -exclusion         -survey   -"image generation"
//   au: / author:      au:hinton   author:"Yann LeCun"
//   ti: / title:       ti:diffusion   ti:"state space"
//   cat:               cat:cs.CL   (repeat for any of several)
//   since: / until:    since:2024-01-01   until:2024-06   (YYYY, YYYY-MM or YYYY-MM-DD)
//   an arXiv id or URL alone goes straight to the paper
import { parseArxivId } from '../papers/arxiv-id.ts';
import { tokenize } from './analyze.ts';

export interface ParsedQuery {
  /** Free words, folded and unstemmed, in query order. */
  words: string[];
  /** The same words as typed, grouped: "real-time" is one piece of two words. */
  wordPieces: string[][];
  /** Quoted phrases, each as its tokens. A one-word phrase is a required word. */
  phrases: string[][];
  excluded: string[][];
  authors: string[][];
  title: string[][];
  categories: string[];
  since: string | undefined;
  until: string | undefined;
  /** Set when the whole query is an arXiv id or URL. */
  arxivId: string | undefined;
  /** Things the parser ignored or shortened, said to the user. */
  notes: string[];
}

/** Longest query we read; the rest is ignored with a note. Parsing is linear, so this only bounds work. */
export const MAX_QUERY_CHARS = 2000;
/** Most terms a query keeps: enough for a pasted abstract's first sentences. */
export const MAX_QUERY_TERMS = 64;

const CATEGORY = /^[a-z-]+(\.[a-z-]+)?$/i;
const FIELDS: Record<string, 'au' | 'ti' | 'cat' | 'since' | 'until'> = {
  au: 'au', author: 'au', ti: 'ti', title: 'ti', cat: 'cat', category: 'cat', since: 'since', after: 'since', until: 'until', before: 'until',
};

interface Piece {
  negated: boolean;
  field: string | undefined;
  text: string;
  quoted: boolean;
}

export function parseQuery(input: string): ParsedQuery {
  const q: ParsedQuery = { words: [], wordPieces: [], phrases: [], excluded: [], authors: [], title: [], categories: [], since: undefined, until: undefined, arxivId: undefined, notes: [] };
  let text = typeof input === 'string' ? input : '';
  if (text.length > MAX_QUERY_CHARS) {
    text = text.slice(0, MAX_QUERY_CHARS);
    q.notes.push(`Only the first ${MAX_QUERY_CHARS.toLocaleString('en-US')} characters of the query were used.`);
  }
  const id = parseArxivId(text.trim());
  if (id) {
    q.arxivId = id.id;
    return q;
  }
  let terms = 0;
  for (const piece of splitPieces(text)) {
    // A field prefix with nothing after it ("au:") is a lone operator: nothing to search for.
    const lone = /^([A-Za-z]+):$/.exec(piece.text);
    if (!piece.field && !piece.quoted && lone && FIELDS[lone[1]!.toLowerCase()]) continue;
    const field = piece.field ? FIELDS[piece.field.toLowerCase()] : undefined;
    if (field === 'cat') {
      if (CATEGORY.test(piece.text)) q.categories.push(normaliseCategory(piece.text));
      else if (piece.text) q.notes.push(`Ignored cat:${piece.text}: a category looks like cs.CL.`);
      continue;
    }
    if (field === 'since' || field === 'until') {
      const day = parseDay(piece.text, field === 'since' ? 'start' : 'end');
      if (day) q[field] = day;
      else if (piece.text) q.notes.push(`Ignored ${field}:${piece.text}: dates look like 2024-05-31, 2024-05 or 2024.`);
      continue;
    }
    // An unknown prefix such as "http:" or "foo:" is just more words.
    const body = piece.field && !field ? `${piece.field} ${piece.text}` : piece.text;
    const tokens = tokenize(body);
    if (tokens.length === 0) continue;
    if (terms >= MAX_QUERY_TERMS) {
      if (!q.notes.some((n) => n.startsWith('Only the first'))) q.notes.push(`Only the first ${MAX_QUERY_TERMS} words of the query were used.`);
      break;
    }
    terms += tokens.length;
    if (piece.negated) q.excluded.push(tokens);
    else if (field === 'au') q.authors.push(tokens);
    else if (field === 'ti') q.title.push(tokens);
    else if (piece.quoted) q.phrases.push(tokens);
    else {
      q.words.push(...tokens);
      q.wordPieces.push(tokens);
    }
  }
  return q;
}

/** Splits on whitespace, keeping "quoted phrases", -negation and field: prefixes with their piece. */
function splitPieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  const re = /(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"|(\S+))/g;
  const quotes = (text.match(/"/g) ?? []).length;
  // With an unbalanced quote, the last quote mark means nothing: drop it and read plain words.
  const s = quotes % 2 === 1 ? dropLast(text, '"') : text;
  for (const m of s.matchAll(re)) {
    const [, minus, field, quoted, bare] = m;
    if (quoted !== undefined) pieces.push({ negated: minus === '-', field, text: quoted, quoted: true });
    else {
      const raw = bare!.replace(/"/g, ' ');
      pieces.push({ negated: minus === '-' && raw.length > 0, field, text: raw, quoted: false });
    }
  }
  return pieces;
}

function dropLast(s: string, ch: string): string {
  const i = s.lastIndexOf(ch);
  return s.slice(0, i) + ' ' + s.slice(i + 1);
}

function normaliseCategory(c: string): string {
  const [archive, sub] = c.split('.');
  // arXiv spells subject classes upper-case in cs (cs.CL) and mixed elsewhere (math.AG, astro-ph.GA).
  return sub === undefined ? archive!.toLowerCase() : `${archive!.toLowerCase()}.${sub.length <= 2 ? sub.toUpperCase() : sub}`;
}

/** YYYY, YYYY-MM or YYYY-MM-DD → a day; a partial date is widened to its first or last day. */
export function parseDay(raw: string, edge: 'start' | 'end'): string | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(raw.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? (edge === 'start' ? 1 : 12) : Number(m[2]);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = m[3] === undefined ? (edge === 'start' ? 1 : lastDay) : Number(m[3]);
  if (year < 1990 || year > 2200 || month < 1 || month > 12 || day < 1 || day > lastDay) return undefined;
  return `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** True when the query asks for text (not only filters). */
export function hasText(q: ParsedQuery): boolean {
  return q.words.length + q.phrases.length + q.authors.length + q.title.length > 0;
}
