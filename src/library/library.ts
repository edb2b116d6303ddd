// Saved papers: save (with tags and a private note), unsave, mark read, list. Saving is an upsert
// keyed by (user, paper), so a double click or a parallel request leaves one entry; a save and its
// tags are written in one transaction.
import type { Db, Tx } from '../store/db.ts';
import { findPaperIdsByArxivIds, findPapersByIds, type Paper } from '../papers/index.ts';

export interface LibraryEntry {
  paperId: number;
  note: string | null;
  read: boolean;
  savedAt: string;
  tags: string[];
}

export interface SaveChanges {
  /** Replaces the paper's tags when given; creates tags that do not exist yet. */
  tags?: string[];
  /** Replaces the note when given (null clears it). */
  note?: string | null;
  read?: boolean;
}

/** Saves a paper (or updates a saved one) in one transaction; returns the entry as stored. */
export async function savePaper(db: Db, userId: number, paperId: number, changes: SaveChanges, now: Date): Promise<LibraryEntry> {
  const at = now.toISOString();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('library_paper')
      .values({ user_id: userId, paper_id: paperId, note: changes.note ?? null, read_at: changes.read ? at : null, saved_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doUpdateSet({ updated_at: at }))
      .execute();
    const set: { note?: string | null; read_at?: string | null } = {};
    if (changes.note !== undefined) set.note = changes.note;
    if (changes.read !== undefined) set.read_at = changes.read ? at : null;
    if (Object.keys(set).length > 0) await tx.updateTable('library_paper').set(set).where('user_id', '=', userId).where('paper_id', '=', paperId).execute();
    if (changes.tags !== undefined) await replacePaperTags(tx, userId, paperId, changes.tags, at);
  });
  return (await findLibraryEntries(db, userId, [paperId])).get(paperId)!;
}

/** Adds tags to a saved paper, keeping the ones it has. */
export async function addPaperTags(tx: Tx, userId: number, paperId: number, names: string[], at: string): Promise<void> {
  for (const name of names) {
    const tagId = await ensureTag(tx, userId, name, at);
    const last = await tx.selectFrom('library_tag_paper').select((eb) => eb.fn.max<number>('position').as('p')).where('tag_id', '=', tagId).executeTakeFirst();
    await tx
      .insertInto('library_tag_paper')
      .values({ tag_id: tagId, user_id: userId, paper_id: paperId, position: Number(last?.p ?? 0) + 1, note: null, added_at: at })
      .onConflict((oc) => oc.columns(['tag_id', 'paper_id']).doNothing())
      .execute();
  }
}

async function replacePaperTags(tx: Tx, userId: number, paperId: number, names: string[], at: string): Promise<void> {
  const keep = names.length > 0 ? (await tx.selectFrom('library_tag').select('id').where('user_id', '=', userId).where('name', 'in', names).execute()).map((r) => r.id) : [];
  let del = tx.deleteFrom('library_tag_paper').where('user_id', '=', userId).where('paper_id', '=', paperId);
  if (keep.length > 0) del = del.where('tag_id', 'not in', keep);
  await del.execute();
  await addPaperTags(tx, userId, paperId, names, at);
}

/** The tag's id, creating it; safe when two requests create the same tag at once. */
export async function ensureTag(tx: Db | Tx, userId: number, name: string, at: string): Promise<number> {
  await tx
    .insertInto('library_tag')
    .values({ user_id: userId, name, created_at: at, updated_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'name']).doNothing())
    .execute();
  const row = await tx.selectFrom('library_tag').select('id').where('user_id', '=', userId).where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

/** Removes a paper from the library and from every tag; true when it was saved. */
export async function unsavePaper(db: Db, userId: number, paperId: number): Promise<boolean> {
  const res = await db.deleteFrom('library_paper').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** The user's entries for these papers (absent when not saved). */
export async function findLibraryEntries(db: Db, userId: number, paperIds: number[]): Promise<Map<number, LibraryEntry>> {
  const out = new Map<number, LibraryEntry>();
  for (let i = 0; i < paperIds.length; i += 500) {
    const chunk = paperIds.slice(i, i + 500);
    const rows = await db.selectFrom('library_paper').selectAll().where('user_id', '=', userId).where('paper_id', 'in', chunk).execute();
    for (const r of rows) out.set(r.paper_id, { paperId: r.paper_id, note: r.note, read: r.read_at !== null, savedAt: r.saved_at, tags: [] });
    if (rows.length === 0) continue;
    const tags = await db
      .selectFrom('library_tag_paper')
      .innerJoin('library_tag', 'library_tag.id', 'library_tag_paper.tag_id')
      .select(['library_tag_paper.paper_id', 'library_tag.name'])
      .where('library_tag_paper.user_id', '=', userId)
      .where('library_tag_paper.paper_id', 'in', chunk)
      .orderBy('library_tag.name')
      .execute();
    for (const t of tags) out.get(t.paper_id)?.tags.push(t.name);
  }
  return out;
}

export type LibrarySort = 'saved' | 'announced';

export interface LibraryQuery {
  tag?: string;
  /** saved: newest saved first; announced: newest paper first. */
  sort?: LibrarySort;
  unreadOnly?: boolean;
  limit?: number;
  offset?: number;
}

export interface LibraryItem extends LibraryEntry {
  paper: Paper;
}

/** A page of the user's library, with the total matching. */
export async function listLibrary(db: Db, userId: number, q: LibraryQuery = {}): Promise<{ items: LibraryItem[]; total: number }> {
  let base = db.selectFrom('library_paper').innerJoin('paper', 'paper.id', 'library_paper.paper_id').where('library_paper.user_id', '=', userId);
  if (q.tag !== undefined) {
    const tag = q.tag;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('library_tag_paper')
          .innerJoin('library_tag', 'library_tag.id', 'library_tag_paper.tag_id')
          .select('library_tag_paper.paper_id')
          .whereRef('library_tag_paper.paper_id', '=', 'library_paper.paper_id')
          .where('library_tag.user_id', '=', userId)
          .where('library_tag.name', '=', tag),
      ),
    );
  }
  if (q.unreadOnly) base = base.where('library_paper.read_at', 'is', null);
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  let rows = base.select('library_paper.paper_id');
  rows = q.sort === 'announced' ? rows.orderBy('paper.announced_on', 'desc').orderBy('paper.arxiv_id', 'desc') : rows.orderBy('library_paper.saved_at', 'desc').orderBy('library_paper.paper_id', 'desc');
  const ids = (await rows.limit(q.limit ?? 50).offset(q.offset ?? 0).execute()).map((r) => r.paper_id);
  const [papers, entries] = await Promise.all([findPapersByIds(db, ids), findLibraryEntries(db, userId, ids)]);
  return { items: papers.map((paper) => ({ paper, ...entries.get(paper.id)! })), total };
}

/** Every saved paper id of the user with its tags and save time: the recommender's input. */
export async function loadLibrarySignals(db: Db, userId: number): Promise<Array<{ paperId: number; savedAt: string; tags: string[] }>> {
  const rows = await db.selectFrom('library_paper').select(['paper_id', 'saved_at']).where('user_id', '=', userId).orderBy('saved_at', 'desc').execute();
  const tags = await db
    .selectFrom('library_tag_paper')
    .innerJoin('library_tag', 'library_tag.id', 'library_tag_paper.tag_id')
    .select(['library_tag_paper.paper_id', 'library_tag.name'])
    .where('library_tag_paper.user_id', '=', userId)
    .execute();
  const byPaper = new Map<number, string[]>();
  for (const t of tags) byPaper.set(t.paper_id, [...(byPaper.get(t.paper_id) ?? []), t.name]);
  return rows.map((r) => ({ paperId: r.paper_id, savedAt: r.saved_at, tags: (byPaper.get(r.paper_id) ?? []).sort() }));
}

export interface ImportOutcome {
  saved: number;
  alreadySaved: number;
  /** arXiv ids this instance does not hold. */
  missing: string[];
}

/** Saves the papers with these arXiv ids (adding `tags` to each), in one transaction. */
export async function importToLibrary(db: Db, userId: number, arxivIds: string[], tags: string[], now: Date): Promise<ImportOutcome> {
  const found = await findPaperIdsByArxivIds(db, arxivIds);
  const missing = arxivIds.filter((id) => !found.has(id));
  const ids = [...found.values()];
  const at = now.toISOString();
  let alreadySaved = 0;
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      alreadySaved += (await tx.selectFrom('library_paper').select('paper_id').where('user_id', '=', userId).where('paper_id', 'in', chunk).execute()).length;
      await tx
        .insertInto('library_paper')
        .values(chunk.map((paperId) => ({ user_id: userId, paper_id: paperId, note: null, read_at: null, saved_at: at, updated_at: at })))
        .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
        .execute();
    }
    if (tags.length > 0) for (const paperId of ids) await addPaperTags(tx, userId, paperId, tags, at);
  });
  return { saved: ids.length - alreadySaved, alreadySaved, missing };
}
