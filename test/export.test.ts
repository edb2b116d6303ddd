import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findPaperByArxivId, markWithdrawn } from '../src/papers/index.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');

async function paperboy(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH!, LOG_LEVEL: 'warn', PAPERBOY_SAMPLE: 'off', ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe.each(testDialects())('paperboy export on %s', (dialect) => {
  let store: TestStore;
  let env: Record<string, string>;
  const ids = ['2606.00201', '2606.00202', 'hep-th/9901001', '2605.00203'];

  beforeAll(async () => {
    store = await createTestStore(dialect);
    env = { DATABASE_URL: store.config.databaseUrl, DATA_DIR: store.dir };
    await createPaper(store, {
      arxivId: ids[0], version: 3, title: 'Ünïcode & "quotes" <tags> $x^2$', abstract: 'Line one. Code: https://github.com/a/b', authors: ['Zoë Ångström', 'Bob'],
      categories: ['cs.CL', 'cs.LG'], comment: '10 pages', journalRef: 'ACL 2026', doi: '10.1/abc', license: 'http://creativecommons.org/licenses/by/4.0/',
      submittedAt: '2026-06-28T10:00:00.000Z', updatedAt: '2026-06-29T11:00:00.000Z', announcedOn: '2026-06-30', hfUpvotes: 17,
    });
    await createPaper(store, { arxivId: ids[1], announcedOn: '2026-06-30', comment: null });
    await createPaper(store, { arxivId: ids[2], categories: ['hep-th'], announcedOn: '1999-01-04' });
    await createPaper(store, { arxivId: ids[3], announcedOn: '2026-05-01' });
    await markWithdrawn(store.db, [ids[1]!]);
  });
  afterAll(async () => store.cleanup());

  it('writes canonical JSONL that paperboy import reads back unchanged', async () => {
    const out = join(store.dir, 'backup.jsonl.gz');
    const exported = await paperboy(['export', '--format', 'jsonl', '--output', out], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('wrote 4 papers');
    expect(readdirSync(store.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    const lines = gunzipSync(readFileSync(out)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(Object.keys(lines[0])).toEqual(['arxiv_id', 'version', 'title', 'abstract', 'authors', 'categories', 'comment', 'journal_ref', 'doi', 'license', 'submitted_at', 'updated_at', 'announced_on', 'withdrawn', 'hf_upvotes']);

    const copy = await createTestStore(dialect);
    try {
      const targetEnv = { DATABASE_URL: copy.config.databaseUrl, DATA_DIR: copy.dir };
      const imported = await paperboy(['import', out], targetEnv);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toContain('new 4, updated 0, unchanged 0, rejected 0');
      for (const id of ids) {
        const { id: _a, ...original } = (await findPaperByArxivId(store.db, id))!;
        const { id: _b, ...restored } = (await findPaperByArxivId(copy.db, id))!;
        expect(restored, id).toEqual(original);
      }
      // And a second import of the same export changes nothing.
      expect((await paperboy(['import', out], targetEnv)).stdout).toContain('new 0, updated 0, unchanged 4');
    } finally {
      await copy.cleanup();
    }
  });

  it('streams to stdout, filters with --since, and writes BibTeX', async () => {
    const recent = await paperboy(['export', '--format', 'jsonl', '--since', '2026-06-01'], env);
    expect(recent.code).toBe(0);
    expect(recent.stdout.trim().split('\n').map((l) => JSON.parse(l).arxiv_id).sort()).toEqual([ids[0], ids[1]].sort());
    const bib = await paperboy(['export', '--format', 'bibtex'], env);
    expect(bib.code).toBe(0);
    expect(bib.stdout.match(/^@misc\{/gm)).toHaveLength(4);
    expect(bib.stdout).toContain('title = {Ünïcode \\& "quotes" <tags> $x^2$}');
    expect(bib.stdout).toContain('eprint = {hep-th/9901001}');
  });

  it('rejects bad arguments with exit 2 and a pointer to --help', async () => {
    for (const args of [['export', '--format', 'csv'], ['export', '--format', 'jsonl', '--since', '2026-02-30'], ['export', '--format', 'jsonl', 'extra']]) {
      const r = await paperboy(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('paperboy export --help');
    }
    expect(existsSync(join(store.dir, 'nothing.jsonl'))).toBe(false);
  });
});
