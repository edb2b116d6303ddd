// Ranking a query of several required words on PostgreSQL, with the top lists of common words
// (top-lists.postgres.ts). Its score is the sum of each word's own ts_rank, so a paper's score is
// exactly the sum of its scores on the words' lists, and the threshold algorithm (Fagin, Lotem & Naor
// 2003; MaxScore) applies as on SQLite (top-lists.sqlite.ts): a paper missing from a word's list
// scores at most that list's last score (its tail) there. The papers on any of the lists are ranked
// among themselves; when the n-th of them scores above the sum of the tails, no other paper can
// reach the top n and the answer is exactly the full ranking's. Otherwise, or without a current
// list for every word, every match is ranked (a rare word's matches are few). ts_rank of the whole
// conjunction (PostgreSQL's `a & b`, which weighs how close the words are) has no such bound; the
// proximity of the words is weighed by BM25F in rescore.ts, which orders the final window.
// "language models": 31,562 of 74,728 papers, ~190 ms ranked in full, ~10 ms among ~1,400 listed.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.ts';
import type { Hit } from './keyword.ts';
import { pgTopLists, RANK_WEIGHTS } from './top-lists.postgres.ts';

/** How a query's filters apply: conditions on a paper id, and whether they need its row (joined as `p`). */
export interface Filtering {
  where: (id: RawBuilder<unknown>) => RawBuilder<unknown>;
  needsPaper: boolean;
}

/** How conjunctions were answered in this process: from the lists, or by ranking every match. */
const outcomes = { listed: 0, full: 0 };

export function conjunctionOutcomes(): Readonly<typeof outcomes> {
  return { ...outcomes };
}

/**
 * The best `limit` papers from `offset` holding every word (plain tokens), by the sum of their
 * ts_ranks. `match` narrows the papers further (tsquery text: the same words with phrases kept as
 * phrases); it defaults to every word anywhere. `among`, when given, holds every matching paper.
 */
export async function rankConjunction(
  db: Db, words: string[], f: Filtering, limit: number, offset: number, match = everyWord(words), among?: number[],
): Promise<Hit[]> {
  // Every match already known (a count found them): ranking them is the full ranking, and cheap.
  if (among) return rankBySum(db, words, match, f, limit, offset, { among, summed: false });
  const listed = await fromLists(db, words, match, f, limit + offset);
  outcomes[listed ? 'listed' : 'full']++;
  return listed ? listed.slice(offset) : rankBySum(db, words, match, f, limit, offset);
}

function everyWord(words: string[]): string {
  return words.map((w) => `(${w})`).join(' & ');
}

async function fromLists(db: Db, words: string[], match: string, f: Filtering, n: number): Promise<Hit[] | undefined> {
  const found = await pgTopLists(db, words);
  const lists = words.map((w) => found.get(w));
  if (lists.some((l) => l === undefined)) return undefined;
  const ids = [...new Set(lists.flatMap((l) => l!.hits.map((h) => h.paperId)))];
  // The matches are at most the rarest word's papers: when they are no more than the listed papers,
  // ranking them all costs no more than ranking the listed ones.
  if (Math.min(...lists.map((l) => l!.matches)) <= ids.length) return undefined;
  const ranked = await rankBySum(db, words, match, f, n, 0, { among: ids, summed: true });
  // A complete list holds every paper with its word: no paper off it matches at all.
  if (lists.some((l) => l!.complete)) return ranked;
  const bound = lists.reduce((sum, l) => sum + (l!.hits.at(-1)?.score ?? 0), 0);
  // Strictly above, with a margin for the order of floating-point sums: a paper off the lists that
  // ties the n-th could come first by id.
  return ranked.length >= n && ranked[n - 1]!.score > bound + 1e-9 * Math.abs(bound) ? ranked : undefined;
}

/**
 * Every match ranked by the sum of its words' ts_ranks, or only those among `among`. Summed (the
 * listed papers), each word is ranked alone (as float8, as the lists store them), so the sum compares
 * exactly with the lists' tails. Otherwise ts_rank of `a | b` gives the same order in one call, one
 * read of each document: it is the mean of the words' own ranks (up to float4 rounding; of distinct
 * lexemes), and a search ranks the same way whether or not its count found the papers first.
 */
async function rankBySum(
  db: Db, words: string[], match: string, f: Filtering, limit: number, offset: number, only?: { among: number[]; summed: boolean },
): Promise<Hit[]> {
  const ids = only?.among;
  const score = !only?.summed
    ? sql`${words.length}::float8 * ts_rank(${RANK_WEIGHTS}, s.document, to_tsquery('english', ${words.map((w) => `(${w})`).join(' | ')}), 1)`
    : sql.join(words.map((w) => sql`ts_rank(${RANK_WEIGHTS}, s.document, to_tsquery('english', ${w}), 1)::float8`), sql` + `);
  const among = ids === undefined ? sql`` : sql`AND s.paper_id = ANY(${ids}::int[])`;
  const paper = f.needsPaper ? sql`JOIN paper p ON p.id = s.paper_id` : sql``;
  const { rows } = await sql<{ id: number; score: number }>`SELECT s.paper_id AS id, ${score} AS score FROM paper_search s ${paper}
    WHERE s.document @@ to_tsquery('english', ${match}) ${among} AND ${f.where(sql`s.paper_id`)}
    ORDER BY score DESC, s.paper_id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return rows.map((r) => ({ paperId: r.id, score: Number(r.score) }));
}
