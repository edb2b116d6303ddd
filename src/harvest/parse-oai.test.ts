import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { announcedFromOai, OaiFormatError, parseOaiPage } from './parse-oai.ts';

const read = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'oai', name), 'utf8');

describe('parseOaiPage', () => {
  it('reads arXiv-format records: names from keyname/forenames/suffix, entities, LaTeX and non-ASCII kept', () => {
    const page = parseOaiPage(read('list-records-1.xml'));
    expect(page).toMatchObject({ responseDate: '2025-03-05T01:12:44Z', resumptionToken: '7123456|1001', cursor: 0, completeListSize: 8, error: undefined });
    expect(page.records.map((r) => r.kind)).toEqual(['paper', 'paper', 'paper']);
    const [a, b, c] = page.records.map((r) => (r.kind === 'paper' ? r.paper : undefined));
    expect(a).toMatchObject({
      arxivId: '2503.01234',
      title: 'Sparse Attention for $\\mathcal{O}(n)$ Transformers: Scaling to Million-Token Contexts',
      authors: ['José García', 'Zoë Müller', 'John Smith Jr'],
      categories: ['cs.LG', 'cs.CL'],
      comment: '12 pages, 3 figures; code at https://github.com/sparse/attn',
      journalRef: null,
      license: 'http://creativecommons.org/licenses/by/4.0/',
      submittedAt: '2025-03-03T00:00:00.000Z',
      updatedAt: null,
      announcedOn: '2025-03-04',
    });
    expect(a!.version).toBeUndefined();
    expect(a!.abstract).toContain('cost & show that it matches dense attention when $k < \\sqrt{n}$.');
    expect(b).toMatchObject({ arxivId: 'hep-th/9901001', authors: ['Edward Witten', 'ATLAS Collaboration'], categories: ['hep-th', 'cs.SC'], updatedAt: '2025-03-03T00:00:00.000Z', announcedOn: '1999-01-05' });
    expect(c!.title).toBe('Ẑ-Diffusion: “Quoted” Generative Models for 𝔽-Spaces');
    expect(c!.authors).toEqual(['Yūki Nakamura', 'Åse Ødegård']);
  });

  it('reports deleted and malformed records with their line, and an empty final token as the end', () => {
    const two = parseOaiPage(read('list-records-2.xml'));
    expect(two.records).toEqual([
      { kind: 'deleted', line: 6, datestamp: '2025-03-04', arxivId: '2502.09999' },
      { kind: 'malformed', line: 13, reason: '2503.01777: empty <title>' },
      expect.objectContaining({ kind: 'paper', line: 30 }),
    ]);
    const three = parseOaiPage(read('list-records-3.xml'));
    expect(three.resumptionToken).toBeUndefined();
    expect(three).toMatchObject({ cursor: 6, completeListSize: 8 });
    expect(parseOaiPage(read('list-records-3.xml').replace('<resumptionToken cursor="6" completeListSize="8"/>', '<resumptionToken cursor="6" completeListSize="8"></resumptionToken>')).resumptionToken).toBeUndefined();
  });

  it('returns OAI errors and refuses what is not OAI-PMH', () => {
    expect(parseOaiPage(read('no-records-match.xml')).error).toEqual({ code: 'noRecordsMatch', message: expect.stringContaining('empty list') });
    expect(parseOaiPage(read('bad-resumption-token.xml')).error?.code).toBe('badResumptionToken');
    expect(() => parseOaiPage('<html><body>oops</body></html>')).toThrow(OaiFormatError);
    expect(() => parseOaiPage(read('list-records-1.xml').slice(0, 700))).toThrow(/not well-formed/);
  });

  it('skips records without authors, categories or a usable id', () => {
    const base = read('list-records-3.xml');
    const noAuthor = parseOaiPage(base.replace('<authors><author><keyname>Ng</keyname><forenames>Andrew Y.</forenames></author></authors>', '<authors></authors>'));
    expect(noAuthor.records[1]).toEqual({ kind: 'malformed', line: expect.any(Number), reason: '2503.02003: no <author>' });
    const badId = parseOaiPage(base.replace('<id>2503.02003</id>', '<id>nonsense</id>'));
    expect(badId.records[1]).toMatchObject({ kind: 'malformed', reason: '"nonsense" is not an arXiv id' });
    const badCats = parseOaiPage(base.replace('<categories>cs.RO</categories>', '<categories>!!</categories>'));
    expect(badCats.records[1]).toMatchObject({ kind: 'malformed', reason: '2503.02003: no valid <categories>' });
  });
});

describe('announcedFromOai', () => {
  it('takes a new paper’s datestamp as its announcement day, and estimates older papers from created', () => {
    expect(announcedFromOai('2025-03-04', '2025-03-03')).toBe('2025-03-04');
    // A Saturday datestamp belongs to Monday's listing.
    expect(announcedFromOai('2025-03-08', '2025-03-07')).toBe('2025-03-10');
    // A replacement years later: estimated from created (next weekday).
    expect(announcedFromOai('2025-03-04', '1999-01-04')).toBe('1999-01-05');
    expect(announcedFromOai('2025-03-04', '2025-02-21')).toBe('2025-02-24');
  });
});
