import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importFile, UnreadableFileError } from '../src/import/index.ts';
import { countPapers, findPaperByArxivId } from '../src/papers/index.ts';
import { createTestStore, testDialects, type TestStore } from './helpers.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

describe.each(testDialects())('paperboy import on %s', (dialect) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createTestStore(dialect);
  });
  afterEach(async () => {
    await store.cleanup();
  });

  it('imports the arXiv listing JSONL, rejecting bad lines with file:line', async () => {
    const s = await importFile(store.db, fixture('listing.jsonl'));
    expect(s).toMatchObject({ format: 'jsonl', read: 6, new: 3, updated: 0, unchanged: 0, rejected: 3 });
    expect(s.errors).toEqual([
      expect.stringMatching(/listing\.jsonl:3: not valid JSON/),
      expect.stringMatching(/listing\.jsonl:4: title: must not be empty/),
      expect.stringMatching(/listing\.jsonl:5: listed: must be a calendar day/),
    ]);
    const p = await findPaperByArxivId(store.db, '2606.00001');
    expect(p).toMatchObject({
      title: 'A Listing Paper',
      abstract: 'Abstract with wrapped text. Code https://github.com/a/b',
      authors: ['A. Author', 'B. Author'],
      categories: ['cs.CV', 'cs.AI'],
      primaryCategory: 'cs.CV',
      comment: 'CVPR 2026',
      announcedOn: '2026-06-30',
      links: [{ kind: 'code', url: 'https://github.com/a/b' }],
    });
  });

  it('re-importing changes nothing; a newer version in canonical JSONL updates', async () => {
    await importFile(store.db, fixture('listing.jsonl'));
    const again = await importFile(store.db, fixture('listing.jsonl'));
    expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 3 });
    const canon = await importFile(store.db, fixture('canonical.jsonl'));
    expect(canon).toMatchObject({ new: 0, updated: 1, rejected: 1 });
    expect(canon.errors[0]).toMatch(/canonical\.jsonl:2: announced_on: /);
    const p = await findPaperByArxivId(store.db, '2606.00001');
    expect(p).toMatchObject({ version: 3, title: 'A Listing Paper (revised)', doi: '10.1/abc', journalRef: 'CVPR 2026', hfUpvotes: 5, submittedAt: '2026-06-28T10:00:00.000Z' });
    // An older version does not overwrite the newer one, and unknown fields keep their values.
    const older = await importFile(store.db, fixture('listing.jsonl'));
    expect(older).toMatchObject({ updated: 0 });
    expect((await findPaperByArxivId(store.db, '2606.00001'))!.title).toBe('A Listing Paper (revised)');
  });

  it('reads gzip-compressed JSONL', async () => {
    const gz = join(store.dir, 'listing.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture('listing.jsonl'))));
    expect(await importFile(store.db, gz)).toMatchObject({ read: 6, new: 3, rejected: 3 });
  });

  it('imports arXiv API Atom XML with entities, LaTeX and non-ASCII text', async () => {
    const s = await importFile(store.db, fixture('arxiv-api-query.xml'));
    expect(s).toMatchObject({ format: 'atom', read: 4, new: 2, rejected: 2 });
    expect(s.errors[0]).toMatch(/arxiv-api-query\.xml:\d+: 2502\.00001: empty <title>/);
    const p = await findPaperByArxivId(store.db, '2503.01234');
    expect(p).toMatchObject({
      version: 2,
      title: 'Sparse Attention for $\\mathcal{O}(n)$ Transformers: Scaling to Million-Token Contexts',
      authors: ["Jos\\'e Garc\\'ia", 'Zoë Müller'],
      categories: ['cs.LG', 'cs.CL'],
      doi: '10.1000/xyz123',
      journalRef: 'NeurIPS 2025',
      comment: '12 pages, 3 figures; project page https://sparse.example.org',
      submittedAt: '2025-03-03T12:00:00.000Z',
      announcedOn: '2025-03-04',
    });
    expect(p!.abstract).toContain('$O(n \\log n)$ cost & show it matches');
    expect(p!.links.map((l) => l.kind)).toEqual(['code', 'hf_model', 'project']);
    expect((await findPaperByArxivId(store.db, 'hep-th/9901001'))!.title).toBe('Strings <and> Branes');
  });

  it('imports Hugging Face daily_papers JSON and keeps its upvotes apart', async () => {
    const s = await importFile(store.db, fixture('hf-daily-papers.json'));
    expect(s).toMatchObject({ format: 'hf-json', read: 3, new: 2, rejected: 1 });
    expect(s.errors[0]).toMatch(/hf-daily-papers\.json:18: paper\.id: "not an id" is not an arXiv id/);
    const p = await findPaperByArxivId(store.db, '2506.11111');
    expect(p).toMatchObject({ hfUpvotes: 42, announcedOn: '2025-06-13', authors: ['Grace Hopper', 'Edsger Dijkstra'] });
  });

  it('fails on a truncated gzip and stores nothing', async () => {
    const full = gzipSync(readFileSync(fixture('listing.jsonl')));
    const cut = join(store.dir, 'cut.jsonl.gz');
    writeFileSync(cut, full.subarray(0, full.length - 12));
    await expect(importFile(store.db, cut)).rejects.toThrow(/truncated|damaged/);
    await expect(importFile(store.db, cut)).rejects.toBeInstanceOf(UnreadableFileError);
    expect(await countPapers(store.db)).toBe(0);
  });

  it('fails on a file that is neither JSON nor XML, and on a missing file', async () => {
    await expect(importFile(store.db, fixture('not-papers.txt'))).rejects.toThrow(/not a supported file/);
    await expect(importFile(store.db, join(store.dir, 'missing.jsonl'))).rejects.toThrow(/no such file/);
    const badXml = join(store.dir, 'bad.xml');
    copyFileSync(fixture('arxiv-api-query.xml'), badXml);
    writeFileSync(badXml, readFileSync(badXml, 'utf8').slice(0, 800));
    await expect(importFile(store.db, badXml)).rejects.toThrow(/not well-formed XML/);
    expect(await countPapers(store.db)).toBe(0);
  });
});
