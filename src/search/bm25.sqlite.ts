// FTS5's own bm25(), computed here for a query's matches when they are few. Before it scores a row,
// FTS5 works out each phrase's idf by walking every paper that holds the phrase (xQueryPhrase, once
// per statement), even when the query's words meet in a handful of papers: "language model
// steering" matches 757 of 74,728 papers, yet ranking them walks the ~30,000 that hold "model" and
// the ~15,000 with "language" — most of a title-like query's time, and ~100 ms for "model" alone at
// a million papers. Every part of the score is at hand without that walk: the idf from the word's
// document frequency (the vocabulary, fts5vocab, cached until the store changes), each matching
// paper's length from FTS5's own record of it (paper_fts_docsize), and its term frequencies from the
// paper's analysed text (paper-terms.ts). The arithmetic is fts5Bm25Function's, in its order, so the
// scores are FTS5's to the last bit and ties fall as FTS5's do (test/bm25-sqlite.test.ts compares
// them). The analysed text is our tokenizer's, built to be FTS5's (analyze.ts); where a paper's
// column lengths or a word's presence disagree with the index, the answer is left to FTS5.
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { loadDocTexts, type LiveDoc } from './doc-texts.ts';
import type { Hit, KeywordQuery } from './keyword.ts';
import { termIdsOf } from './paper-terms.ts';
import { decodeInto } from './term-codec.ts';
import { stemWord } from './snippet.ts';

/** FTS5's constants (fts5Bm25Function). */
const K1 = 1.2;
const B = 0.75;

export type Column = 'any' | 'title' | 'authors';

/** One word of the query in the column it is asked in, as the index stems it. */
export interface SummedClause {
  column: Column;
  stem: string;
}

/** What the scores need of the index: its size, each word's document frequency, the column weights. */
export interface IndexTotals {
  /** Rows in the index (FTS5's xRowCount). */
  rows: number;
  /** Tokens in all rows and columns (xColumnTotalSize(-1)). */
  tokens: number;
  /** Weights of title, abstract and authors, as passed to bm25(). */
  weights: readonly [number, number, number];
}

/** A matching row as the index records it (its id and docsize's varints), with its stored terms if any. */
export interface MatchedRow {
  id: number;
  sizes: Uint8Array;
  /** The paper's analysed text as paper-terms.ts encodes it, or null until the search-terms job stores it. */
  terms: Uint8Array | null;
}

/**
 * The clauses of a query whose bm25() is worth summing here: two or more words, all required, each
 * one plain ASCII word (FTS5 and our stemmer agree on those; a phrase's idf is not in the
 * vocabulary), nothing optional. One word gains nothing: FTS5's walk to count it is the walk that
 * finds its matches. Excluded words are allowed: a matching row holds none of them, so they add nothing.
 */
export function summedClauses(q: KeywordQuery): SummedClause[] | undefined {
  if (q.should.length > 0 || q.must.length < 2) return undefined;
  const out: SummedClause[] = [];
  for (const c of q.must) {
    if (c.tokens.length !== 1 || !/^[A-Za-z0-9]+$/.test(c.tokens[0]!)) return undefined;
    out.push({ column: c.field as Column, stem: stemWord(c.tokens[0]!) });
  }
  return out;
}

/**
 * bm25()'s idf, never below 1e-6 as FTS5 clamps it. The logarithm is SQLite's ln(), the C library's
 * log() that FTS5 calls: V8's Math.log differs from it in the last bit for most arguments.
 */
export async function fts5Idf(db: Db, rows: number, docFreq: number): Promise<number> {
  const { rows: out } = await sql<{ idf: number }>`SELECT ln(${(rows - docFreq + 0.5) / (docFreq + 0.5)}) AS idf`.execute(db);
  const idf = Number(out[0]?.idf ?? 0);
  return idf <= 0 ? 1e-6 : idf;
}

/**
 * The rows scored as bm25() scores them (negated, higher is better, as the search's `-bm25(…)`),
 * best first and ties by id as SQLite orders them; undefined when a row's analysed text does not
 * agree with the index (a column's length, or a required word not found), and FTS5 should rank.
 */
export async function scoreRows(db: Db, clauses: SummedClause[], docFreqs: number[], rows: MatchedRow[], totals: IndexTotals): Promise<Hit[] | undefined> {
  if (rows.length === 0) return [];
  if (totals.rows === 0) return undefined;
  const avgdl = totals.tokens / totals.rows;
  const idf: number[] = [];
  for (const df of docFreqs) idf.push(await fts5Idf(db, totals.rows, df));
  const ids = await termIdsOf(db, clauses.map((c) => c.stem));
  const wanted = Int32Array.from(clauses, (c) => ids.get(c.stem) ?? -1);
  // Papers whose terms are not stored yet are analysed from their text (as re-scoring does).
  const live = await loadDocTexts(db, rows.filter((r) => r.terms === null).map((r) => r.id));
  const [wTitle, wAbstract, wAuthors] = totals.weights;
  const counts = new Int32Array(3 * clauses.length);
  const lengths: [number, number, number] = [0, 0, 0];
  const hits: Hit[] = [];
  for (const row of rows) {
    counts.fill(0);
    if (row.terms) countStored(row.terms, wanted, counts, lengths);
    else {
      const text = live.get(row.id);
      if (!text) return undefined;
      countLive(text, clauses, counts, lengths);
    }
    const [nTitle = 0, nAbstract = 0, nAuthors = 0] = readVarints(row.sizes, 3);
    if (nTitle !== lengths[0] || nAbstract !== lengths[1] || nAuthors !== lengths[2]) return undefined;
    const D = nTitle + nAbstract + nAuthors;
    let score = 0;
    for (let i = 0; i < clauses.length; i++) {
      const column = clauses[i]!.column;
      const inTitle = column === 'authors' ? 0 : counts[3 * i]!;
      const inAbstract = column === 'any' ? counts[3 * i + 1]! : 0;
      const inAuthors = column === 'title' ? 0 : counts[3 * i + 2]!;
      // FTS5 adds a column's weight per instance: small whole numbers, so any order sums exactly.
      const f = inTitle * wTitle + inAbstract * wAbstract + inAuthors * wAuthors;
      // The row matched, so every word is in it: if not here, our analysis disagrees with the index.
      if (f === 0) return undefined;
      score += idf[i]! * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * D) / avgdl)));
    }
    hits.push({ paperId: row.id, score });
  }
  return hits.sort((a, b) => b.score - a.score || a.paperId - b.paperId);
}

/**
 * Counts, per clause and field (title, abstract, authors), the places `wanted[i]` occurs in a stored
 * row, and the fields' lengths — decoding only the stems of title, abstract and authors (encodeTerms'
 * first three fields, paper-terms.ts), not the typed words after them.
 */
export function countStored(buf: Uint8Array, wanted: Int32Array, counts: Int32Array, lengths: [number, number, number]): void {
  const head = new Int32Array(3);
  let at = decodeInto(buf, 0, head, undefined);
  for (let field = 0; field < 3; field++) {
    const n = (lengths[field] = head[field]!);
    if (scratch.length < n) scratch = new Int32Array(2 * n);
    const ids = scratch.subarray(0, n);
    at = decodeInto(buf, at, ids, undefined);
    for (const id of ids) for (let i = 0; i < wanted.length; i++) if (wanted[i] === id) counts[3 * i + field]!++;
  }
}

/** One field's ids at a time, reused across rows (a search sums up to thousands of them). */
let scratch = new Int32Array(1024);

function countLive(text: LiveDoc, clauses: SummedClause[], counts: Int32Array, lengths: [number, number, number]): void {
  const fields = [text.title, text.abstract, text.authors] as const;
  for (let field = 0; field < 3; field++) {
    const terms = fields[field]!;
    lengths[field] = terms.length;
    for (const t of terms) for (let i = 0; i < clauses.length; i++) if (clauses[i]!.stem === t) counts[3 * i + field]!++;
  }
}

/** SQLite's big-endian varints (FTS5 uses sqlite3Fts5GetVarint), the first `n` of them: a docsize record, the averages record. */
export function readVarints(buf: Uint8Array, n: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (out.length < n && i < buf.length) {
    let v = 0;
    let j = 0;
    for (; j < 8 && i < buf.length; j++) {
      const b = buf[i++]!;
      v = v * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    if (j === 8 && i < buf.length) v = v * 256 + buf[i++]!;
    out.push(v);
  }
  return out;
}
