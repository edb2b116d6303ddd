// The one write path for paper metadata: import, harvest, fetch and submissions all come through here.
import type { Db, Tx } from '../store/db.ts';
import { lockRows } from '../store/dialect.ts';
import { extractLinks } from './links.ts';
import { hashPaperContent, type PaperInput, type PaperRow } from './paper.ts';

export interface UpsertCounts {
  new: number;
  updated: number;
  unchanged: number;
}

export interface UpsertResult extends UpsertCounts {
  /** Ids of papers inserted or changed, for indexing downstream. */
  changedIds: number[];
}

type Merged = Omit<PaperRow, 'id' | 'created_at' | 'modified_at' | 'content_hash'>;

/**
 * Inserts new papers and updates known ones, keyed by arXiv id, inside the caller's transaction.
 * An older version never overwrites a newer one (a record without a version counts as v1); fields the input leaves undefined keep their stored
 * value; the announced date keeps the earliest day arXiv listed the paper.
 */
export async function upsertPapers(tx: Tx | Db, inputs: PaperInput[], now: Date = new Date()): Promise<UpsertResult> {
  const result: UpsertResult = { new: 0, updated: 0, unchanged: 0, changedIds: [] };
  if (inputs.length === 0) return result;
  // The last record for an id wins within a batch.
  const byId = new Map(inputs.map((p) => [p.arxivId, p]));
  const existing = new Map<string, PaperRow>();
  const ids = [...byId.keys()].sort();
  // Locked: a concurrent writer of the same paper (a harvest and a fetch) waits for this transaction
  // and then compares against what it committed, so an older version never overwrites a newer one.
  // Locked in arXiv id order, so two writers cannot deadlock each other.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await lockRows(tx, tx.selectFrom('paper').selectAll().where('arxiv_id', 'in', ids.slice(i, i + 500)).orderBy('arxiv_id')).execute();
    for (const row of rows) existing.set(row.arxiv_id, row);
  }
  const stamp = now.toISOString();
  const fresh: Array<Merged & { content_hash: string }> = [];
  const changed: Array<{ id: number; merged: Merged }> = [];
  for (const input of byId.values()) {
    const old = existing.get(input.arxivId);
    if (old && (input.version ?? 1) < old.version) {
      result.unchanged++;
      continue;
    }
    const merged = mergePaper(input, old);
    const hash = hashPaperContent(merged);
    if (old && old.content_hash === hash) {
      result.unchanged++;
      continue;
    }
    if (old) {
      await tx.updateTable('paper').set({ ...merged, content_hash: hash, modified_at: stamp }).where('id', '=', old.id).execute();
      changed.push({ id: old.id, merged });
      result.updated++;
    } else {
      fresh.push({ ...merged, content_hash: hash });
    }
  }
  // New papers go in as multi-row inserts; a conflict means another writer inserted the paper
  // between our read and write: theirs stands, and a re-run will compare against it.
  fresh.sort((a, b) => (a.arxiv_id < b.arxiv_id ? -1 : a.arxiv_id > b.arxiv_id ? 1 : 0)); // the same lock order as above
  for (let i = 0; i < fresh.length; i += 200) {
    const chunk = fresh.slice(i, i + 200);
    const inserted = await tx
      .insertInto('paper')
      .values(chunk.map((m) => ({ ...m, created_at: stamp, modified_at: stamp })))
      .onConflict((oc) => oc.column('arxiv_id').doNothing())
      .returning(['id', 'arxiv_id'])
      .execute();
    const byArxivId = new Map(chunk.map((m) => [m.arxiv_id, m]));
    for (const row of inserted) changed.push({ id: row.id, merged: byArxivId.get(row.arxiv_id)! });
    result.new += inserted.length;
    result.unchanged += chunk.length - inserted.length;
  }
  await replaceLinksAndCategories(tx, changed);
  result.changedIds = changed.map((c) => c.id);
  return result;
}

function mergePaper(input: PaperInput, old: PaperRow | undefined): Merged {
  const keep = <T>(incoming: T | undefined, stored: T): T => (incoming === undefined ? stored : incoming);
  const categories = input.categories.length > 0 ? input.categories : old ? (JSON.parse(old.categories) as string[]) : [];
  const announced = old && old.announced_on < input.announcedOn ? old.announced_on : input.announcedOn;
  return {
    arxiv_id: input.arxivId,
    version: input.version ?? old?.version ?? 1,
    title: input.title,
    abstract: input.abstract,
    authors: JSON.stringify(input.authors),
    authors_text: input.authors.join(', '),
    categories: JSON.stringify(categories),
    primary_category: categories[0] ?? 'unknown',
    comment: keep(input.comment, old?.comment ?? null),
    journal_ref: keep(input.journalRef, old?.journal_ref ?? null),
    doi: keep(input.doi, old?.doi ?? null),
    license: keep(input.license, old?.license ?? null),
    submitted_at: keep(input.submittedAt, old?.submitted_at ?? null),
    updated_at: keep(input.updatedAt, old?.updated_at ?? null),
    announced_on: announced,
    withdrawn: input.withdrawn === undefined ? (old?.withdrawn ?? 0) : input.withdrawn ? 1 : 0,
    hf_upvotes: input.hfUpvotes === undefined ? (old?.hf_upvotes ?? 0) : input.hfUpvotes,
  };
}

async function replaceLinksAndCategories(tx: Tx | Db, papers: Array<{ id: number; merged: Merged }>): Promise<void> {
  const links = papers.flatMap(({ id, merged }) =>
    extractLinks(merged.abstract, merged.comment).map((l, position) => ({ paper_id: id, kind: l.kind, url: l.url, position })),
  );
  const categories = papers.flatMap(({ id, merged }) =>
    [...new Set(JSON.parse(merged.categories) as string[])].map((category) => ({ paper_id: id, category })),
  );
  const ids = papers.map((p) => p.id);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await tx.deleteFrom('paper_link').where('paper_id', 'in', chunk).execute();
    await tx.deleteFrom('paper_category').where('paper_id', 'in', chunk).execute();
  }
  for (let i = 0; i < links.length; i += 500) await tx.insertInto('paper_link').values(links.slice(i, i + 500)).execute();
  for (let i = 0; i < categories.length; i += 1000) await tx.insertInto('paper_category').values(categories.slice(i, i + 1000)).execute();
}

/** Marks papers withdrawn (an OAI deleted record); votes and everything else stay. */
export async function markWithdrawn(tx: Tx | Db, arxivIds: string[], now: Date = new Date()): Promise<number> {
  if (arxivIds.length === 0) return 0;
  const res = await tx
    .updateTable('paper')
    .set({ withdrawn: 1, modified_at: now.toISOString() })
    .where('arxiv_id', 'in', arxivIds)
    .where('withdrawn', '=', 0)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
