import type { DigestPaper } from './rank.ts';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../papers/index.ts';
import { createDigestPicker, pickDigestPapers } from './pick.ts';
import { compileTopics, NO_TOPICS } from './preferences.ts';

const papers: DigestPaper[] = Array.from({ length: 40 }, (_, i) => ({
  id: i + 1, arxivId: `2606.${String(i).padStart(5, '0')}`, version: 1, title: `Paper ${i}`, abstract: i % 2 ? 'about retrieval' : 'about vision',
  authors: ['A'], categories: [i % 2 ? 'cs.IR' : 'cs.CV'], primaryCategory: i % 2 ? 'cs.IR' : 'cs.CV', comment: null, journalRef: null, doi: null,
  license: null, submittedAt: null, updatedAt: null, announcedOn: '2026-06-30', withdrawn: i === 3, hfUpvotes: 40 - i, upvotes: 40 - i, links: [],
}));

describe('pickDigestPapers', () => {
  it('keeps ranked order and drops withdrawn, low-voted and already received papers', () => {
    const got = pickDigestPapers(papers, { matcher: compileTopics({ ...NO_TOPICS, categories: ['cs.IR'] }), minUpvotes: 30, received: new Set([2]), limit: 10 });
    expect(got.map((p) => p.id)).toEqual([6, 8, 10]);
  });

  it('stops at the limit', () => {
    expect(pickDigestPapers(papers, { matcher: () => true, minUpvotes: 0, received: new Set(), limit: 5 })).toHaveLength(5);
  });
});

describe('createDigestPicker', () => {
  it('gives the same answer as picking one by one, received papers included', () => {
    const pick = createDigestPicker(papers, 15);
    const topics = { ...NO_TOPICS, keywords: ['retrieval'] };
    for (const received of [new Set<number>(), new Set([2, 4, 6]), new Set(papers.map((p) => p.id).filter((id) => id < 30))]) {
      const expected = pickDigestPapers(papers, { matcher: compileTopics(topics), minUpvotes: 0, received, limit: 15 });
      expect(pick({ topics, minUpvotes: 0, received }).map((p) => p.id)).toEqual(expected.map((p) => p.id));
    }
  });
});
