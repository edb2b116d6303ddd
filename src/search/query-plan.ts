// From a parsed query to what the keyword index is asked: the content words, whether all of them
// are required, the clauses, the filters (the form's and the query's own cat:/since:/until:), and
// the stems a result highlights.
import { STOPWORDS } from './analyze.ts';
import type { Clause, KeywordQuery, SearchFilters } from './keyword.ts';
import { porterStem } from './porter.ts';
import type { ParsedQuery } from './query.ts';
import type { SearchOptions } from './search.ts';

/** How many words the person typed, a hyphenated compound ("real-time") counting as one. */
export function typedWords(parsed: ParsedQuery): number {
  return parsed.wordPieces.filter((piece) => piece.some((w) => !STOPWORDS.has(w))).length;
}

/** Free words minus function words; all of them when nothing else is left ("to be or not to be"). */
export function contentWords(words: string[]): string[] {
  const content = words.filter((w) => !STOPWORDS.has(w));
  return [...new Set(content.length > 0 ? content : words)];
}

export function keywordQuery(parsed: ParsedQuery, content: string[], allWords: boolean): KeywordQuery {
  const words: Clause[] = content.map((w) => ({ field: 'any', tokens: [w] }));
  const must: Clause[] = [
    ...parsed.phrases.map((tokens): Clause => ({ field: 'any', tokens })),
    ...parsed.title.map((tokens): Clause => ({ field: 'title', tokens })),
    ...parsed.authors.map((tokens): Clause => ({ field: 'authors', tokens })),
  ];
  return {
    must: allWords ? [...must, ...words] : must,
    should: allWords ? [] : words,
    mustNot: parsed.excluded.map((tokens): Clause => ({ field: 'any', tokens })),
  };
}

export function mergeFilters(parsed: ParsedQuery, options: SearchOptions): SearchFilters {
  const later = (a: string | undefined, b: string | undefined) => (a && b ? (a > b ? a : b) : a ?? b);
  const earlier = (a: string | undefined, b: string | undefined) => (a && b ? (a < b ? a : b) : a ?? b);
  return {
    categories: [...new Set([...(options.categories ?? []), ...parsed.categories])],
    since: later(options.since, parsed.since),
    until: earlier(options.until, parsed.until),
    hasCode: options.hasCode ?? false,
  };
}

export function highlightStems(parsed: ParsedQuery, content: string[]): Set<string> {
  return new Set([...content, ...parsed.phrases.flat(), ...parsed.title.flat()].map(porterStem));
}
