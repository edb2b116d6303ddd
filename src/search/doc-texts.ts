// Papers' text as index terms, for re-scoring. Stored term ids (paper-terms.ts) when a paper has a
// current row; otherwise read from the store, analysed and kept in memory (most queries re-score the
// same few thousand popular papers). A cached entry is used only while the paper's content_hash is
// unchanged, so an edited paper is analysed afresh.
import type { Db } from '../store/db.ts';
import { stringBytes } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import type { DocText, Scored } from './rescore.ts';
import { feedbackModel, feedbackWeights, FEEDBACK_DOCS, isFeedbackTerm } from './rm3.ts';
import { storedTerms, termsOf } from './paper-terms.ts';
import { analysePaper, type AnalysedText, type TermIds } from './term-codec.ts';

export type LiveDoc = AnalysedText & { paperId: number };

interface Entry {
  hash: string;
  doc: LiveDoc;
}

/** ~4 KB a typical paper (stemmed and unstemmed tokens): 64 MB hold ~16,000. */
const docs = budgetedCache<number, Entry>('analysed papers', (_id, e) => {
  const d = e.doc;
  return stringBytes(e.hash) + tokensBytes(d.title) + tokensBytes(d.abstract) + tokensBytes(d.authors) + tokensBytes(d.titleWords) + tokensBytes(d.abstractWords);
});

/** Each token a string plus its array slot. */
function tokensBytes(tokens: string[]): number {
  let n = 0;
  for (const t of tokens) n += stringBytes(t) + 24;
  return n;
}

/**
 * A paper's analysed fields: its stored term ids (already in the form scoring reads: the same object
 * serves every pass over the paper), or its text analysed here.
 */
export type AnalysedPaper = { paperId: number; stored: TermIds & { paperId: number } } | { paperId: number; live: LiveDoc };

/** Each paper that exists, analysed: from its stored terms where current, else afresh. */
export async function loadAnalysed(db: Db, ids: number[]): Promise<Map<number, AnalysedPaper>> {
  const stored = await storedTerms(db, ids);
  const live = await loadDocTexts(db, ids.filter((id) => !stored.has(id)));
  const out = new Map<number, AnalysedPaper>();
  // In id order, as the store lists them: papers that score alike keep one order.
  for (const id of [...ids].sort((x, y) => x - y)) {
    const s = stored.get(id);
    const l = live.get(id);
    if (s) out.set(id, { paperId: id, stored: { paperId: id, ...s } });
    else if (l) out.set(id, { paperId: id, live: l });
  }
  return out;
}

/**
 * A paper's fields as term ids for scoring: its stored ones, or its analysed text mapped through
 * `ids`, the query's terms (every other term becomes 0, which no query term is: scoring only
 * compares the query's terms, so the scores are the same).
 */
export function asTermIds(p: AnalysedPaper, ids: Map<string, number>): DocText<number> {
  if ('stored' in p) return p.stored;
  const map = (a: string[]) => Int32Array.from(a, (t) => ids.get(t) ?? 0);
  const d = p.live;
  return { paperId: p.paperId, title: map(d.title), abstract: map(d.abstract), authors: map(d.authors), titleWords: map(d.titleWords), abstractWords: map(d.abstractWords) };
}

/** RM3's relevance model: its terms (stems) with their weights, and a word each stem was written as. */
export interface FeedbackModel {
  terms: Array<[string, number]>;
  /**
   * Stem → the word it stands for where it first occurs in the best-ranked papers: what an engine
   * that stems words its own way (PostgreSQL's Snowball lexemes) must be asked. A stem asked as it is
   * can be another word there, or none: "wa" (of "was", a stop word) is a rare lexeme of its own, and
   * "gener" (of "general", "generation", …) one in a handful of papers.
   */
  surfaces: Map<string, string>;
}

/**
 * RM3's relevance model of the best-ranked papers (feedbackModel), its terms as words. When every one
 * of those papers has stored terms, they are counted by id and only the strongest ids are read back
 * as words, a few hundred at a time, until `limit` of them may expand the query: ~200 lookups where
 * reading every token of ten papers back was ~2,000, for the same model. The words each of them was
 * written as are read in the same statement.
 */
export async function feedbackModelOf(db: Db, ranked: Scored[], papers: Map<number, AnalysedPaper>, limit: number): Promise<FeedbackModel> {
  const top = ranked.slice(0, FEEDBACK_DOCS).flatMap((s) => papers.get(s.paperId) ?? []);
  if (top.some((p) => 'live' in p)) {
    const texts = await feedbackTexts(db, top);
    const terms = feedbackModel(ranked, texts, limit);
    return { terms, surfaces: firstWords(top.flatMap((p) => texts.get(p.paperId) ?? []), new Set(terms.map(([t]) => t))) };
  }
  const stored = top.flatMap((p) => ('stored' in p ? [p.stored] : []));
  const docs = new Map(stored.map((p) => [p.paperId, { paperId: p.paperId, title: p.title, abstract: p.abstract, authors: [] }] as const));
  const weights = feedbackWeights(ranked, docs);
  const terms: Array<[string, number]> = [];
  const surfaces = new Map<string, string>();
  for (let i = 0; i < weights.length && terms.length < limit; i += 2 * limit) {
    const some = weights.slice(i, i + 2 * limit);
    const wordOf = firstWords(stored, new Set(some.map(([id]) => id)));
    const words = await termsOf(db, [...some.map(([id]) => id), ...wordOf.values()]);
    for (const [id, weight] of some) {
      const term = words.get(id) ?? '';
      if (terms.length >= limit || !isFeedbackTerm(term)) continue;
      terms.push([term, weight]);
      const word = words.get(wordOf.get(id)!);
      if (word !== undefined) surfaces.set(term, word);
    }
  }
  return { terms, surfaces };
}

/** Each of `stems` → the word at its first place in the papers' titles and abstracts, in the papers' order. */
function firstWords<T>(papers: Array<DocText<T>>, stems: Set<T>): Map<T, T> {
  const out = new Map<T, T>();
  for (const p of papers) {
    for (const [field, words] of [[p.title, p.titleWords], [p.abstract, p.abstractWords]] as const) {
      if (!words) continue;
      for (let i = 0; i < field.length && out.size < stems.size; i++) {
        const t = field[i]!;
        if (stems.has(t) && !out.has(t)) out.set(t, words[i]!);
      }
    }
  }
  return out;
}

/**
 * The papers' title and abstract stems and words as strings, for RM3's relevance model (it reads
 * every term of its few papers): stored ids read back through the vocabulary, other papers as analysed.
 */
async function feedbackTexts(db: Db, papers: AnalysedPaper[]): Promise<Map<number, DocText>> {
  const stored = papers.flatMap((p) => ('stored' in p ? [p] : []));
  const words = await termsOf(db, stored.flatMap((p) => [...p.stored.title, ...p.stored.abstract, ...p.stored.titleWords, ...p.stored.abstractWords]));
  const out = new Map<number, DocText>();
  for (const p of papers) {
    if ('live' in p) {
      out.set(p.paperId, p.live);
      continue;
    }
    const read = (ids: Int32Array) => Array.from(ids, (id) => words.get(id) ?? '');
    const s = p.stored;
    out.set(p.paperId, { paperId: p.paperId, title: read(s.title), abstract: read(s.abstract), authors: [], titleWords: read(s.titleWords), abstractWords: read(s.abstractWords) });
  }
  return out;
}

/** The analysed text of each paper that exists, by id. */
export async function loadDocTexts(db: Db, ids: number[]): Promise<Map<number, LiveDoc>> {
  const out = new Map<number, LiveDoc>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('paper').select(['id', 'content_hash', 'title', 'abstract', 'authors_text']).where('id', 'in', ids).execute();
  for (const r of rows) {
    let entry = docs.get(r.id);
    if (entry && entry.hash === r.content_hash) {
      docs.touch(r.id); // the least recently used paper leaves first
    } else {
      entry = { hash: r.content_hash, doc: { paperId: r.id, ...analysePaper(r) } };
      docs.set(r.id, entry);
    }
    out.set(r.id, entry.doc);
  }
  return out;
}

/** Each paper's authors, by id. */
export async function loadAuthors(db: Db, ids: number[]): Promise<Map<number, string[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('paper').select(['id', 'authors']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, JSON.parse(r.authors) as string[]]));
}
