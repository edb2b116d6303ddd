// searchPapers: the one search path behind the page, the API and the bench.
// parse → keyword candidates (FTS5) → re-score → optional semantic fusion → papers with snippets,
// the outcome kept for the next identical search until the store changes.
import { findPaperByArxivId, findPapersByIds, type Paper } from '../papers/index.ts';
import { findHiddenPaperIds } from '../community/index.ts';
import type { Db } from '../store/db.ts';
import { dialectOf } from '../store/dialect.ts';
import { fuseRankings } from './fuse.ts';
import { keywordIndexFor } from './keyword-index.ts';
import type { Hit, KeywordIndex, KeywordQuery, SearchFilters, SortOrder } from './keyword.ts';
import { porterStem } from './porter.ts';
import { hasText, parseQuery, type ParsedQuery } from './query.ts';
import { MAX_OFFSET } from './params.ts';
import type { SemanticSearch } from './semantic.ts';
import { boundedQuery, relevanceHits } from './relevance.ts';
import { AUTHOR_ORDER_DEPTH, exactAuthorsFirst, namedAuthors } from './authors.ts';
import { contentWords, highlightStems, keywordQuery, mergeFilters, typedWords } from './query-plan.ts';
import { cachedOutcome, resultKey, runningSearch, shareRun } from './result-cache.ts';
import { nextTurn, searchGateFor, yieldingIndex } from './gate.ts';
import type { SearchThreads } from './search-threads.ts';
import { highlightTex, snippet, snippetTex } from './snippet.ts';

export interface SearchOptions {
  limit: number;
  offset: number;
  sort: SortOrder;
  /** Filters from the form; combined with cat:/since:/until: in the query text. */
  categories?: string[];
  since?: string | undefined;
  until?: string | undefined;
  hasCode?: boolean;
  /** Leave out snippets. */
  withoutSnippets?: boolean;
  /**
   * Only the escaped-text snippet (what the API returns): snippetHtml and titleHtml, which render TeX
   * for the page, are left empty, which saves a third of a results page's highlighting.
   */
  textSnippetOnly?: boolean;
  /** Papers without their extras (Paper.extras: key phrases, thumbnail, …), for a reader that shows none (the API). */
  withoutExtras?: boolean;
  /** When no paper has all of a short query's words, show papers with any of them (default true). */
  fallbackToAny?: boolean;
  /** Which rankers run: default 'hybrid' (keyword, fused with semantic whenever vectors are ready). */
  mode?: SearchMode;
  /**
   * Time after which the optional feedback round is skipped (default SEARCH_TIME_BUDGET_MS).
   * Relevance benchmarks and tests that compare rankings pass Infinity: a ranking, not the load.
   */
  timeBudgetMs?: number;
}

export type SearchMode = 'keyword' | 'semantic' | 'hybrid';

export interface SearchResult {
  paper: Paper;
  score: number;
  /** Escaped HTML: a passage of the abstract with query words in <mark> (the API's snippet). */
  snippet: string;
  /** HTML: the same passage with its TeX rendered as listings render it (MathML), words in <mark>. */
  snippetHtml: string;
  /** HTML: the title, TeX rendered, query words in <mark>. */
  titleHtml: string;
  /** The authors an au: clause names, to be marked; empty without au: clauses. */
  namedAuthors: string[];
}

export interface SearchOutcome {
  results: SearchResult[];
  total: number;
  parsed: ParsedQuery;
  /** Set when the query was an arXiv id of a paper we have: go straight there. */
  paper: Paper | undefined;
  /** 'all' words required, or 'any' (long queries, or when no paper had all words). */
  matched: 'all' | 'any' | 'none';
  semantic: boolean;
  /** False when `total` is a lower bound: more papers match than were counted ("1,000+"). */
  totalExact: boolean;
  /** True when the time budget ran out and the feedback round was skipped: such an answer is not kept. */
  shortened: boolean;
  notes: string[];
}

/**
 * Queries with more content words than this are read as a description (a claim, a question, a
 * pasted sentence) and match papers with ANY of the words, ranked by BM25; shorter ones need ALL the
 * words, as people expect of a search box. Four words cover nearly every title-like query; a
 * hyphenated compound ("real-time") is one word here, as the person typed it.
 */
export const ALL_WORDS_MAX = 4;
/** Any-word queries count matches up to here; `total` then says "at least". */
export const ANY_WORDS_COUNT_LIMIT = 1000;
/**
 * All-words queries count up to here: pages end at this offset (MAX_OFFSET), so a larger total is only
 * a number to show, and counting a common word's matches walks all of them (300k+ papers hold
 * "model" in a million: ~80 ms with a category filter). `total` then says "at least", as a search
 * engine's "about" does.
 */
export const ALL_WORDS_COUNT_LIMIT = MAX_OFFSET;
/** How deep the keyword list goes when fused with semantic candidates. */
export const FUSION_DEPTH = 100;

/**
 * Past this much time a search skips its optional second round (RM3 feedback) and returns what it
 * has: under load, an answer now beats a slightly better one later for everyone waiting.
 */
export const SEARCH_TIME_BUDGET_MS = 200;
const SNIPPETS_PER_TURN = 20;

/** How a search runs besides its query: where, and what it costs the client. */
export interface SearchRun {
  /** SQLite searches run on these threads, off the event loop (search-threads.ts); else in this one. */
  threads?: SearchThreads | undefined;
  /** Called before a search the result cache cannot answer starts: throws to refuse it (the per-client limit). */
  admit?: () => void;
  /**
   * Charges the client for that search (the per-client limit), called once it has started, so that
   * the charge (a write to the store) and the search (on a search thread, or in PostgreSQL) overlap.
   * Rejecting refuses the answer; the search, already running, finishes and is kept.
   */
  charge?: () => Promise<void>;
}

/**
 * Runs one search, taking its turn with the other searches of this process (see gate.ts), or
 * reuses its outcome while nothing it depends on has changed (result-cache.ts), without waiting.
 * Identical searches arriving together (a link shared, a burst of load) run once and share the
 * outcome. Only searches that run are charged to the client (run.charge): a cached answer costs
 * about what a page does.
 */
export async function searchPapers(db: Db, query: string, options: SearchOptions, semantic?: SemanticSearch, run: SearchRun = {}): Promise<SearchOutcome> {
  const key = await resultKey(db, query, options, semantic);
  if (key !== undefined) {
    const ready = cachedOutcome(db, key) ?? runningSearch(db, key);
    if (ready) return ready;
  }
  run.admit?.();
  const search = key === undefined ? runInTurn(db, query, options, semantic, run) : shareRun(db, key, runInTurn(db, query, options, semantic, run));
  // Refused after all: the search still ends (and is kept), its failure, if any, seen by no one.
  search.catch(() => {});
  await run.charge?.();
  return search;
}

function runInTurn(db: Db, query: string, options: SearchOptions, semantic: SemanticSearch | undefined, run: SearchRun): Promise<SearchOutcome> {
  const threads = dialectOf(db) === 'sqlite' ? run.threads : undefined;
  return threads
    ? threads.gate.run(() => threads.search(query, options, semantic))
    : searchGateFor(dialectOf(db)).run(() => runSearch(db, yieldingIndex(keywordIndexFor(db)), query, options, semantic));
}

/** What a search uses of semantic search: the process's own, or a search thread's stand-in. */
export type SemanticSource = Pick<SemanticSearch, 'searchText' | 'status'>;

/**
 * The semantic candidates a query will ask for, when that is known from the query alone (a
 * descriptive query, sorted by relevance); a short query that turns to any-word matching only after
 * finding no paper with all its words asks later (see search-threads.ts).
 */
export function expectedSemanticRequest(query: string, options: SearchOptions): { text: string; k: number } | undefined {
  if ((options.mode ?? 'hybrid') === 'keyword' || options.sort !== 'relevance') return undefined;
  const parsed = parseQuery(query);
  if (parsed.arxivId || parsed.words.length === 0 || typedWords(parsed) <= ALL_WORDS_MAX) return undefined;
  if (keywordQuery(parsed, contentWords(parsed.words), false).must.length > 0) return undefined;
  return { text: semanticText(parsed), k: Math.max(FUSION_DEPTH, options.offset + options.limit) };
}

function semanticText(parsed: ParsedQuery): string {
  return parsed.words.join(' ');
}

/** One search on `db` through `index`, start to finish: on the event loop, or on a search thread. */
export async function runSearch(db: Db, index: KeywordIndex, query: string, options: SearchOptions, semantic?: SemanticSource): Promise<SearchOutcome> {
  const budget = { deadline: Date.now() + (options.timeBudgetMs ?? SEARCH_TIME_BUDGET_MS), shortened: false };
  const parsed = parseQuery(query);
  const notes = [...parsed.notes];
  const outcome: SearchOutcome = { results: [], total: 0, parsed, paper: undefined, matched: 'none', semantic: false, totalExact: true, shortened: false, notes };
  if (parsed.arxivId) {
    const paper = await findPaperByArxivId(db, parsed.arxivId);
    if (paper) return { ...outcome, paper, results: [toResult(paper, 1, new Set(), [], options)], total: 1, matched: 'all' };
    notes.push(`We have no paper ${parsed.arxivId} yet.`);
    return outcome;
  }
  const filters = mergeFilters(parsed, options);
  const content = contentWords(parsed.words);
  const allWords = typedWords(parsed) <= ALL_WORDS_MAX;
  let kq = keywordQuery(parsed, content, allWords);
  // Papers with ANY of many words are most of the collection: count them only up to a bound. Only an
  // all-words query's count changes what is searched (none: any word will do); an any-word query's
  // runs beside its search (on PostgreSQL, on another connection) and is awaited once that is done.
  const counting = index.count(db, kq, filters, allWords ? ALL_WORDS_COUNT_LIMIT : ANY_WORDS_COUNT_LIMIT);
  counting.catch(() => {}); // awaited in settleCount
  let total = allWords ? await counting : 0;
  let settled = false;
  const settleCount = async () => {
    if (settled) return;
    if (!allWords) total = await counting;
    settled = true;
    outcome.totalExact = total < (outcome.matched === 'all' ? ALL_WORDS_COUNT_LIMIT : ANY_WORDS_COUNT_LIMIT);
  };
  outcome.matched = allWords ? 'all' : 'any';
  if (total === 0 && allWords && content.length > 1 && options.fallbackToAny !== false) {
    kq = keywordQuery(parsed, content, false);
    total = await index.count(db, kq, filters, ANY_WORDS_COUNT_LIMIT);
    outcome.matched = 'any';
    if (total > 0) notes.push('No paper has all of the words; showing papers with any of them.');
  }
  if (!hasText(parsed) && kq.mustNot.length === 0 && filters.categories.length === 0 && !filters.since && !filters.until && !filters.hasCode) {
    await settleCount();
    return { ...outcome, matched: 'none' };
  }
  const sort: SortOrder = hasText(parsed) ? options.sort : options.sort === 'relevance' ? 'newest' : options.sort;
  let hits: Hit[];
  const mode = options.mode ?? 'hybrid';
  const useSemantic = mode !== 'keyword' && semantic !== undefined && sort === 'relevance' && semantic.status().ready && parsed.words.length > 0 && kq.must.length === 0;
  if (useSemantic) {
    const depth = Math.max(FUSION_DEPTH, options.offset + options.limit);
    // Asked first: on a search thread, an answer not sent along stops the search here (search-threads.ts).
    const candidates = await semantic.searchText(semanticText(parsed), depth);
    const keyword = await relevanceHits(db, index, kq, filters, parsed, content, outcome.matched === 'any', depth, budget);
    const allowed = await filterSemantic(db, candidates, filters, kq);
    const fused = mode === 'semantic' ? allowed : fuseRankings(keyword, allowed, semantic.status().fusionWeight);
    const inKeyword = new Set(keyword.map((k) => k.paperId));
    await settleCount();
    total = mode === 'semantic' ? allowed.length : total + fused.filter((h) => !inKeyword.has(h.paperId)).length;
    hits = fused.slice(options.offset, options.offset + options.limit);
    outcome.semantic = true;
  } else if (sort === 'relevance' && hasText(parsed)) {
    hits = (await relevanceHits(db, index, kq, filters, parsed, content, outcome.matched === 'any', options.offset + options.limit, budget)).slice(options.offset);
  } else {
    // Sorted by upvotes or date, papers with ANY of many words would mean ordering most of the
    // collection: the candidates come from the rarer words, within the same budget as relevance.
    const bounded = outcome.matched === 'any' ? await boundedQuery(db, index, kq) : kq;
    hits = sort === 'newest' && parsed.authors.length > 0 && options.offset < AUTHOR_ORDER_DEPTH
      ? await exactAuthorsFirst(db, index, bounded, filters, parsed.authors, options.limit, options.offset)
      : await index.search(db, bounded, filters, sort, options.limit, options.offset);
  }
  await settleCount();
  const stems = highlightStems(parsed, content);
  await nextTurn();
  const papers = await findPapersByIds(db, hits.map((h) => h.paperId), { extras: !options.withoutExtras });
  const scoreOf = new Map(hits.map((h) => [h.paperId, h.score]));
  // Snippets for a long page take a while: other requests get turns in between.
  for (let i = 0; i < papers.length; i += SNIPPETS_PER_TURN) {
    await nextTurn();
    for (const p of papers.slice(i, i + SNIPPETS_PER_TURN)) outcome.results.push(toResult(p, scoreOf.get(p.id) ?? 0, stems, parsed.authors, options));
  }
  outcome.total = total;
  outcome.shortened = budget.shortened;
  return outcome;
}

function toResult(paper: Paper, score: number, stems: Set<string>, authorClauses: string[][], options: SearchOptions): SearchResult {
  if (options.withoutSnippets) return { paper, score, snippet: '', snippetHtml: '', titleHtml: '', namedAuthors: [] };
  const plain = snippet(paper.abstract, stems);
  if (options.textSnippetOnly) return { paper, score, snippet: plain, snippetHtml: '', titleHtml: '', namedAuthors: [] };
  return {
    paper,
    score,
    snippet: plain,
    snippetHtml: snippetTex(paper.abstract, stems, undefined, plain),
    titleHtml: highlightTex(paper.title, stems),
    namedAuthors: authorClauses.length > 0 ? namedAuthors(paper.authors, authorClauses) : [],
  };
}

/** Semantic candidates must pass the same filters and exclusions as keyword ones. */
async function filterSemantic(db: Db, hits: Hit[], f: SearchFilters, kq: KeywordQuery): Promise<Hit[]> {
  if (hits.length === 0) return hits;
  const papers = new Map((await findPapersByIds(db, hits.map((h) => h.paperId))).map((p) => [p.id, p]));
  const hidden = await findHiddenPaperIds(db, hits.map((h) => h.paperId));
  const excluded = kq.mustNot.map((c) => c.tokens.map(porterStem).join(' '));
  return hits.filter((h) => {
    const p = papers.get(h.paperId);
    if (!p || hidden.has(p.id)) return false;
    if (f.since && p.announcedOn < f.since) return false;
    if (f.until && p.announcedOn > f.until) return false;
    if (f.categories.length > 0 && !p.categories.some((c) => f.categories.includes(c))) return false;
    if (f.hasCode && !p.links.some((l) => l.kind === 'code')) return false;
    if (excluded.length > 0) {
      const text = ` ${analyzeJoined(p)} `;
      if (excluded.some((e) => text.includes(` ${e} `))) return false;
    }
    return true;
  });
}

function analyzeJoined(p: Paper): string {
  return [p.title, p.abstract, p.authors.join(' ')].join(' ').toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '').split(/[^\p{L}\p{N}]+/u).map(porterStem).join(' ');
}

export type { KeywordIndex };
