// The boundary between search and a database's full-text engine. A query arrives here already
// parsed and reduced to clauses of plain tokens, so no user text ever reaches the engine's syntax.
// keyword.sqlite.ts implements it with FTS5, keyword.postgres.ts with tsvector.
import type { Db } from '../store/db.ts';

export type Field = 'any' | 'title' | 'authors';

/** One word (one token) or phrase (several, adjacent and in order), in one field or any. */
export interface Clause {
  field: Field;
  tokens: string[];
}

/** Papers must match every `must` clause, at least one `should` clause (when any), and no `mustNot`. */
export interface KeywordQuery {
  must: Clause[];
  should: Clause[];
  mustNot: Clause[];
}

export interface SearchFilters {
  categories: string[];
  since: string | undefined;
  until: string | undefined;
  hasCode: boolean;
}

/**
 * upvotes: by the count a paper shows — its local votes (countedVotes in src/community) plus the
 * upvotes imported from Hugging Face, the API's `upvotes.total` — then as relevance or newest.
 */
export type SortOrder = 'relevance' | 'newest' | 'upvotes';

export interface Hit {
  paperId: number;
  /** Engine's relevance score, higher is better (0 when sorted otherwise). */
  score: number;
}

export interface TermStats {
  /** Papers in the index. */
  docCount: number;
  /** Papers containing each stemmed term (missing terms are absent). */
  docFreq: Map<string, number>;
  /** Average tokens per paper in title and abstract. */
  avgTitleLength: number;
  avgAbstractLength: number;
  avgAuthorsLength: number;
  /**
   * How many postings a descriptive query's candidate words may add up to in this engine (rareClauses
   * in relevance.ts), when it differs from CANDIDATE_POSTINGS: an engine slower per posting takes fewer.
   */
  candidatePostings?: number;
  /**
   * The same for the words RM3 feedback adds (relevance.ts), when it differs from candidatePostings:
   * they only add papers to a window the query's own words already filled.
   */
  feedbackPostings?: number;
}

export interface KeywordIndex {
  /**
   * Papers matching the query and filters in the requested order, at most `limit` from `offset`.
   * A query with no clauses lists every paper passing the filters.
   */
  search(db: Db, query: KeywordQuery, filters: SearchFilters, sort: SortOrder, limit: number, offset: number): Promise<Hit[]>;
  /** How many papers match (the same set `search` pages through), counting no further than `atMost`. */
  count(db: Db, query: KeywordQuery, filters: SearchFilters, atMost?: number): Promise<number>;
  /**
   * Corpus statistics of stemmed terms, for re-scoring candidates. `surfaces`: a word each of some
   * stems was written as, for an engine that must ask by word (it stems its own way).
   */
  termStats(db: Db, stems: string[], surfaces?: ReadonlyMap<string, string>): Promise<TermStats>;
  /**
   * Every paper matching the query and filters, in no particular order, when at most `atMost` do;
   * undefined when more do, or when the query has no positive clause. For a caller that re-scores
   * all of them anyway and so needs no ranking; an engine with no cheaper way than ranking leaves it out.
   */
  matchesUpTo?(db: Db, query: KeywordQuery, filters: SearchFilters, atMost: number): Promise<number[] | undefined>;
}
