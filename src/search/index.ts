// Search: query language, keyword index (per dialect), re-scoring, fusion with semantic search.
export { parseQuery, type ParsedQuery } from './query.ts';
export { searchThreadsFor, type SearchThreads } from './search-threads.ts';
export { searchPapers, type SearchRun, type SearchOptions, type SearchOutcome, type SearchResult, type SearchMode } from './search.ts';
export type { SortOrder } from './keyword.ts';
export type { SemanticSearch } from './semantic.ts';
export { SearchBusyError } from './gate.ts';
export { semanticStateKey } from './result-cache.ts';
export { porterStem } from './porter.ts';
export { keywordIndexFor } from './keyword-index.ts';
export type { TermStats } from './keyword.ts';
