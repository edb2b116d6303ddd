import { describe, expect, it } from 'vitest';
import type { Clause, TermStats } from './keyword.ts';
import { splitTsquery, tsqueryText } from './tsquery.postgres.ts';
import { matchExpression } from './fts-query.sqlite.ts';
import { CANDIDATE_POSTINGS, rareClauses } from './relevance.ts';

const word = (w: string, field: Clause['field'] = 'any'): Clause => ({ field, tokens: [w] });

describe('clauses to engine syntax', () => {
  it('builds a tsquery of checked tokens only: anything else is dropped, never read as syntax', () => {
    const q = { must: [{ field: 'title' as const, tokens: ['state', 'space'] }, word('a:*'), word("x')|(y")], should: [word('mamba'), word('ssm')], mustNot: [word('survey'), word('!')] };
    expect(tsqueryText(q)).toBe('((state:A <-> space:A) & ((mamba) | (ssm))) & !((survey))');
    expect(tsqueryText({ must: [word('&|!')], should: [], mustNot: [] })).toBeUndefined();
    // Title clauses go to the title index unlabelled, the rest to the weighted document.
    expect(splitTsquery(q)).toEqual({ title: '((state <-> space))', document: '((mamba) | (ssm))', not: '((survey))' });
    expect(splitTsquery({ must: [word('mamba', 'title'), word('gu', 'authors')], should: [], mustNot: [] })).toEqual({ title: '((mamba))', document: '(gu:C)', not: undefined });
  });
  it('quotes every token for FTS5', () => {
    expect(matchExpression({ must: [word('near')], should: [word('or'), word('and', 'title')], mustNot: [word('not')] })).toBe('("near" AND ("or" OR title : "and")) NOT ("not")');
  });
});

describe('rareClauses', () => {
  const stats = (df: Record<string, number>): TermStats => ({ docCount: 100_000, docFreq: new Map(Object.entries(df)), avgTitleLength: 10, avgAbstractLength: 150, avgAuthorsLength: 6 });
  it('keeps the rarest words whose postings fit the budget, always at least one', () => {
    const kept = rareClauses([word('learning'), word('mamba'), word('model'), word('selective')], stats({ learn: 25_000, mamba: 40, model: 30_000, select: 3_000 }));
    expect(kept.map((c) => c.tokens[0])).toEqual(['mamba', 'selective']);
    const common = rareClauses([word('learning'), word('model')], stats({ learn: 25_000, model: 30_000 }));
    expect(common.map((c) => c.tokens[0])).toEqual(['learning']);
    expect(25_000).toBeGreaterThan(CANDIDATE_POSTINGS);
  });
  it('counts a word as written in a paper ("CoT", "Naïve") by its folded stem, so the budget holds whatever the case', () => {
    const kept = rareClauses([word('CoT'), word('Naïve'), word('Models')], stats({ cot: 3_000, naiv: 1_500, model: 30_000 }));
    expect(kept.map((c) => c.tokens[0])).toEqual(['Naïve', 'CoT']);
    expect(rareClauses([word('COT'), word('cot')], stats({ cot: 3_000 })).length).toBe(1);
  });
  it("keeps to the engine's own budget when its statistics give one", () => {
    const clauses = [word('mamba'), word('selective'), word('learning')];
    const df = { mamba: 40, select: 1_500, learn: 3_000 };
    expect(rareClauses(clauses, stats(df)).map((c) => c.tokens[0])).toEqual(['mamba', 'selective', 'learning']);
    expect(rareClauses(clauses, { ...stats(df), candidatePostings: 2_000 }).map((c) => c.tokens[0])).toEqual(['mamba', 'selective']);
  });
});
