// Tags as lists: each of a user's tags with its count, description and public flag; the order of
// papers within a tag and their per-tag notes; public tags are collections, readable by anyone.
import type { Db } from '../store/db.ts';
import { findPapersByIds, type Paper } from '../papers/index.ts';

export interface Tag {
  id: number;
  userId: number;
  name: string;
  description: string;
  public: boolean;
  papers: number;
  createdAt: string;
  updatedAt: string;
}

/** The user's tags by name, each with how many papers it holds. */
export async function listTags(db: Db, userId: number): Promise<Tag[]> {
  return selectTags(db).where('library_tag.user_id', '=', userId).orderBy('library_tag.name').execute().then((rows) => rows.map(tagFromRow));
}

export async function findTagByName(db: Db, userId: number, name: string): Promise<Tag | undefined> {
  const row = await selectTags(db).where('library_tag.user_id', '=', userId).where('library_tag.name', '=', name).executeTakeFirst();
  return row ? tagFromRow(row) : undefined;
}

export async function findTagById(db: Db, tagId: number): Promise<Tag | undefined> {
  const row = await selectTags(db).where('library_tag.id', '=', tagId).executeTakeFirst();
  return row ? tagFromRow(row) : undefined;
}

/** The public tags (collections) of a user, most recently changed first: what their profile lists. */
export async function listPublicCollections(db: Db, userId: number): Promise<Tag[]> {
  const rows = await selectTags(db).where('library_tag.user_id', '=', userId).where('library_tag.public', '=', 1).orderBy('library_tag.updated_at', 'desc').execute();
  return rows.map(tagFromRow);
}

export interface TagChanges {
  name?: string;
  description?: string;
  public?: boolean;
}

export type TagUpdate = { ok: true; tag: Tag } | { ok: false; reason: 'not_found' | 'name_taken' };

/** Renames, describes or publishes one of the user's tags. */
export async function updateTag(db: Db, userId: number, tagId: number, changes: TagChanges, now: Date): Promise<TagUpdate> {
  const tag = await findTagById(db, tagId);
  if (!tag || tag.userId !== userId) return { ok: false, reason: 'not_found' };
  if (changes.name !== undefined && changes.name !== tag.name && (await findTagByName(db, userId, changes.name))) return { ok: false, reason: 'name_taken' };
  const set: { name?: string; description?: string; public?: number; updated_at: string } = { updated_at: now.toISOString() };
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.public !== undefined) set.public = changes.public ? 1 : 0;
  await db.updateTable('library_tag').set(set).where('id', '=', tagId).execute();
  return { ok: true, tag: (await findTagById(db, tagId))! };
}

/** Deletes a tag; its papers stay in the library. */
export async function deleteTag(db: Db, userId: number, tagId: number): Promise<boolean> {
  const res = await db.deleteFrom('library_tag').where('id', '=', tagId).where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export interface TagPaper {
  paper: Paper;
  position: number;
  note: string | null;
  addedAt: string;
}

/** A tag's papers in the tag's order. */
export async function listTagPapers(db: Db, tagId: number, opts: { limit?: number; offset?: number } = {}): Promise<TagPaper[]> {
  const rows = await db
    .selectFrom('library_tag_paper')
    .select(['paper_id', 'position', 'note', 'added_at'])
    .where('tag_id', '=', tagId)
    .orderBy('position')
    .orderBy('paper_id')
    .limit(opts.limit ?? 200)
    .offset(opts.offset ?? 0)
    .execute();
  const papers = new Map((await findPapersByIds(db, rows.map((r) => r.paper_id))).map((p) => [p.id, p]));
  return rows.filter((r) => papers.has(r.paper_id)).map((r) => ({ paper: papers.get(r.paper_id)!, position: r.position, note: r.note, addedAt: r.added_at }));
}

/** Sets the note shown with a paper in one of the user's tags; false when the paper is not in it. */
export async function setTagPaperNote(db: Db, userId: number, tagId: number, paperId: number, note: string | null, now: Date): Promise<boolean> {
  const res = await db.updateTable('library_tag_paper').set({ note }).where('tag_id', '=', tagId).where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return false;
  await db.updateTable('library_tag').set({ updated_at: now.toISOString() }).where('id', '=', tagId).execute();
  return true;
}

/**
 * Moves a paper within a tag, one step up (-1) or down (+1), by swapping positions with its
 * neighbour in one transaction. False when it is not in the tag or already at that end.
 */
export async function movePaperInTag(db: Db, userId: number, tagId: number, paperId: number, direction: -1 | 1, now: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const me = await tx.selectFrom('library_tag_paper').select(['position']).where('tag_id', '=', tagId).where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
    if (!me) return false;
    const neighbour = await tx
      .selectFrom('library_tag_paper')
      .select(['paper_id', 'position'])
      .where('tag_id', '=', tagId)
      .where('position', direction < 0 ? '<' : '>', me.position)
      .orderBy('position', direction < 0 ? 'desc' : 'asc')
      .limit(1)
      .executeTakeFirst();
    if (!neighbour) return false;
    await tx.updateTable('library_tag_paper').set({ position: neighbour.position }).where('tag_id', '=', tagId).where('paper_id', '=', paperId).execute();
    await tx.updateTable('library_tag_paper').set({ position: me.position }).where('tag_id', '=', tagId).where('paper_id', '=', neighbour.paper_id).execute();
    await tx.updateTable('library_tag').set({ updated_at: now.toISOString() }).where('id', '=', tagId).execute();
    return true;
  });
}

function selectTags(db: Db) {
  return db
    .selectFrom('library_tag')
    .selectAll('library_tag')
    .select((eb) => eb.selectFrom('library_tag_paper').select((e) => e.fn.countAll<number>().as('n')).whereRef('library_tag_paper.tag_id', '=', 'library_tag.id').as('papers'));
}

function tagFromRow(r: { id: number; user_id: number; name: string; description: string; public: number; papers: number | null; created_at: string; updated_at: string }): Tag {
  return { id: r.id, userId: r.user_id, name: r.name, description: r.description, public: r.public === 1, papers: Number(r.papers ?? 0), createdAt: r.created_at, updatedAt: r.updated_at };
}
