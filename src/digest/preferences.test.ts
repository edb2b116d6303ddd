import { describe, expect, it } from 'vitest';
import type { Paper } from '../papers/index.ts';
import { compileTopics, parseSubscribeInput } from './preferences.ts';

const paper = (over: Partial<Paper>): Paper => ({
  id: 1, arxivId: '2606.00001', version: 1, title: 'A title', abstract: 'An abstract.', authors: ['Ada Lovelace'], categories: ['cs.CL'],
  primaryCategory: 'cs.CL', comment: null, journalRef: null, doi: null, license: null, submittedAt: null, updatedAt: null,
  announcedOn: '2026-06-30', withdrawn: false, hfUpvotes: 0, links: [], ...over,
});

describe('parseSubscribeInput', () => {
  it('normalises the address and accepts lists as arrays or comma-separated text', () => {
    const r = parseSubscribeInput({ email: '  Ada@Example.ORG ', frequency: 'weekly', topics: { categories: 'cs.CL, cs.LG,cs.CL', keywords: ['retrieval'] }, min_upvotes: '5' });
    expect(r).toEqual({ ok: true, value: { email: 'ada@example.org', frequency: 'weekly', topics: { categories: ['cs.CL', 'cs.LG'], keywords: ['retrieval'], authors: [] }, minUpvotes: 5 } });
  });

  it('names the field at fault', () => {
    expect(parseSubscribeInput({ frequency: 'daily' })).toMatchObject({ ok: false, field: 'email' });
    expect(parseSubscribeInput({ email: 'a@b.org\r\nBcc: x@y.org', frequency: 'daily' })).toMatchObject({ ok: false, field: 'email' });
    expect(parseSubscribeInput({ email: 'a@b', frequency: 'daily' })).toMatchObject({ ok: false, field: 'email' });
    expect(parseSubscribeInput({ email: 'a@b.org', frequency: 'monthly' })).toMatchObject({ ok: false, field: 'frequency' });
    expect(parseSubscribeInput({ email: 'a@b.org', frequency: 'daily', topics: { keywords: ['x'] } })).toMatchObject({ ok: false, field: 'topics.keywords' });
    expect(parseSubscribeInput({ email: 'a@b.org', frequency: 'daily', topics: { colours: ['red'] } })).toMatchObject({ ok: false, field: 'topics' });
    expect(parseSubscribeInput({ email: 'a@b.org', frequency: 'daily', minUpvotes: -1 })).toMatchObject({ ok: false, field: 'minUpvotes' });
  });
});

describe('compileTopics', () => {
  it('matches everything without topics', () => {
    expect(compileTopics({ categories: [], keywords: [], authors: [] })(paper({}))).toBe(true);
  });

  it('matches any category (an archive covers its subcategories), keyword as a whole word, or author part', () => {
    const m = compileTopics({ categories: ['stat'], keywords: ['RL'], authors: ['lovelace'] });
    expect(m(paper({ categories: ['stat.ML'], authors: ['X'] }))).toBe(true);
    expect(m(paper({ categories: ['cs.CV'], authors: ['X'], title: 'Offline RL at scale' }))).toBe(true);
    expect(m(paper({ categories: ['cs.CV'], authors: ['X'], title: 'A URL shortener' }))).toBe(false);
    expect(m(paper({ categories: ['cs.CV'], authors: ['Ada Lovelace'] }))).toBe(true);
    expect(m(paper({ categories: ['statistics-not'], authors: ['X'] }))).toBe(false);
  });

  it('treats keyword punctuation literally', () => {
    expect(compileTopics({ categories: [], keywords: ['c++'], authors: [] })(paper({ abstract: 'We compile C++ code.' }))).toBe(true);
  });
});
