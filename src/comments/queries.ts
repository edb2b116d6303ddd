// Reading discussions: the threads of a paper as a given reader may see them, and comment counts.
// Who sees what: held comments show to their author and curators; hidden ones to curators, and to
// everyone else only as a placeholder above replies that still show; deleted ones as a placeholder.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.ts';
import { isCurator, type User } from '../accounts/index.ts';

export type CommentState = 'visible' | 'held' | 'hidden' | 'deleted';

export interface Comment {
  id: number;
  paperId: number;
  parentId: number | null;
  /** Absent on placeholders (deleted, or hidden from this reader). */
  author: { id: number; name: string; handle: string } | undefined;
  /** The Markdown source; empty on placeholders. */
  body: string;
  state: CommentState;
  createdAt: string;
  editedAt: string | null;
}

export interface Thread {
  comment: Comment;
  replies: Comment[];
  activityAt: string;
}

export type ThreadOrder = 'activity' | 'oldest';

/**
 * The rule behind every count, on `comment c`: shown to everyone. Written as SQL, not built: every API
 * answer and listing card counts comments, and the query builder cost ~0.1 ms a statement there.
 */
const SHOWN = sql`c.held = 0 AND c.hidden_at IS NULL AND c.deleted_at IS NULL`;

/** countComments for one paper as a column of another statement (see votesCountOf in src/community). */
export function commentsCountOf(paperId: RawBuilder<number>): RawBuilder<number | string> {
  return sql`(SELECT count(*) FROM comment c WHERE ${SHOWN} AND c.paper_id = ${paperId})`;
}

/** Comments shown to everyone, per paper; papers without any are absent. */
export async function countComments(db: Db, paperIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const ids = [...new Set(paperIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const { rows } = await sql<{ paper_id: number; n: number | string }>`SELECT c.paper_id, count(*) AS n FROM comment c
      WHERE ${SHOWN} AND c.paper_id IN (${sql.join(ids.slice(i, i + 500))}) GROUP BY c.paper_id`.execute(db);
    for (const r of rows) out.set(r.paper_id, Number(r.n));
  }
  return out;
}

const MAX_COMMENTS = 2000;

/** A paper's discussion for one reader (undefined: signed out), threads in the chosen order, replies oldest first. */
export async function listDiscussion(db: Db, paperId: number, viewer: User | undefined, order: ThreadOrder): Promise<Thread[]> {
  const rows = await db
    .selectFrom('comment as c')
    .innerJoin('user_account as u', 'u.id', 'c.user_id')
    .leftJoin('user_profile as p', 'p.user_id', 'c.user_id')
    .select(['c.id', 'c.paper_id', 'c.parent_id', 'c.user_id', 'c.body', 'c.held', 'c.hidden_at', 'c.deleted_at', 'c.created_at', 'c.edited_at', 'c.activity_at', 'u.display_name', 'p.handle'])
    .where('c.paper_id', '=', paperId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(MAX_COMMENTS)
    .execute();
  const curator = isCurator(viewer);
  const view = (r: (typeof rows)[number]): Comment | undefined => {
    const state: CommentState = r.deleted_at !== null ? 'deleted' : r.hidden_at !== null ? 'hidden' : r.held === 1 ? 'held' : 'visible';
    const mine = viewer !== undefined && viewer.id === r.user_id;
    if (state === 'held' && !mine && !curator) return undefined;
    const shown = state === 'visible' || state === 'held' || (state === 'hidden' && curator);
    return {
      id: r.id, paperId: r.paper_id, parentId: r.parent_id,
      author: shown ? { id: r.user_id, name: r.display_name ?? `reader ${r.user_id}`, handle: r.handle ?? `reader-${r.user_id}` } : undefined,
      body: shown ? r.body : '', state, createdAt: r.created_at, editedAt: r.edited_at,
    };
  };
  const threads = new Map<number, Thread>();
  const orphans: Array<[number, Comment]> = [];
  for (const r of rows) {
    if (r.parent_id === null) {
      const c = view(r);
      if (c) threads.set(r.id, { comment: c, replies: [], activityAt: r.activity_at });
    } else {
      const c = view(r);
      // A hidden reply is left out for readers; its thread keeps the rest.
      if (c && (c.state !== 'hidden' || curator)) orphans.push([r.parent_id, c]);
    }
  }
  for (const [parent, c] of orphans) threads.get(parent)?.replies.push(c);
  const out = [...threads.values()].filter((t) => t.comment.author !== undefined || t.replies.length > 0);
  if (order === 'activity') out.sort((a, b) => (a.activityAt < b.activityAt ? 1 : a.activityAt > b.activityAt ? -1 : b.comment.id - a.comment.id));
  return out;
}

/** One comment with its paper, for the API and edit forms; undefined when gone. */
export async function findComment(db: Db, id: number): Promise<{ id: number; paperId: number; arxivId: string; userId: number; parentId: number | null; body: string; createdAt: string; deleted: boolean } | undefined> {
  const r = await db
    .selectFrom('comment as c')
    .innerJoin('paper as p', 'p.id', 'c.paper_id')
    .select(['c.id', 'c.paper_id', 'p.arxiv_id', 'c.user_id', 'c.parent_id', 'c.body', 'c.created_at', 'c.deleted_at'])
    .where('c.id', '=', id)
    .executeTakeFirst();
  return r && { id: r.id, paperId: r.paper_id, arxivId: r.arxiv_id, userId: r.user_id, parentId: r.parent_id, body: r.body, createdAt: r.created_at, deleted: r.deleted_at !== null };
}
