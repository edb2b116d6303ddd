// Reads every paper (or those announced since a day) in id order, in batches, so an export of any
// size runs in constant memory; and turns a paper into the canonical JSONL record.
import type { Db } from '../store/db.ts';
import { paperFromRow, type Paper } from '../papers/paper.ts';

export interface ExportFilter {
  /** Only papers announced on or after this day (YYYY-MM-DD). */
  since?: string | undefined;
}

const BATCH = 1000;

export async function countExportPapers(db: Db, filter: ExportFilter): Promise<number> {
  let q = db.selectFrom('paper').select((eb) => eb.fn.countAll<number>().as('n'));
  if (filter.since) q = q.where('announced_on', '>=', filter.since);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Papers in id order, fetched BATCH at a time by keyset (no OFFSET scans). */
export async function* streamPapers(db: Db, filter: ExportFilter): AsyncGenerator<Paper> {
  let after = 0;
  for (;;) {
    let q = db.selectFrom('paper').selectAll().where('id', '>', after);
    if (filter.since) q = q.where('announced_on', '>=', filter.since);
    const rows = await q.orderBy('id').limit(BATCH).execute();
    for (const row of rows) yield paperFromRow(row);
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** The canonical JSONL record (README, "Canonical JSONL"); `paperboy import` reads it back. */
export function paperToCanonical(p: Paper): Record<string, unknown> {
  return {
    arxiv_id: p.arxivId,
    version: p.version,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: p.categories,
    comment: p.comment,
    journal_ref: p.journalRef,
    doi: p.doi,
    license: p.license,
    submitted_at: p.submittedAt,
    updated_at: p.updatedAt,
    announced_on: p.announcedOn,
    withdrawn: p.withdrawn,
    hf_upvotes: p.hfUpvotes,
  };
}
