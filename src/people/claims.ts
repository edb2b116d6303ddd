// Authorship claims: a signed-in user says "I am this author of this paper"; a curator approves or
// rejects. arXiv metadata carries no e-mail addresses or affiliations to match an account against,
// so a person decides. Approved claims put a verified mark on the paper and the author page.
import type { Db } from '../store/db.ts';
import type { User } from '../accounts/index.ts';
import { recordAudit, type Actor } from '../community/index.ts';
import { ensureProfile } from './profiles.ts';

export type ClaimStatus = 'pending' | 'approved' | 'rejected';

export interface Claim {
  id: number;
  paperId: number;
  arxivId: string;
  title: string;
  authorName: string;
  userId: number;
  handle: string;
  displayName: string;
  status: ClaimStatus;
  createdAt: string;
}

export type ClaimOutcome =
  | { ok: true; claim: { id: number; status: ClaimStatus } }
  | { ok: false; reason: 'suspended' | 'not_an_author' | 'taken'; message: string };

/** Files a claim (again, if it was rejected: a pending one stays as it is). */
export async function claimAuthorship(db: Db, user: User, paper: { id: number; authors: readonly string[] }, authorName: string, now: Date): Promise<ClaimOutcome> {
  if (user.suspended) return { ok: false, reason: 'suspended', message: 'Suspended accounts cannot claim authorship.' };
  if (!paper.authors.includes(authorName)) return { ok: false, reason: 'not_an_author', message: `"${authorName}" is not an author of this paper.` };
  const approved = await db.selectFrom('author_claim').select(['user_id']).where('paper_id', '=', paper.id).where('author_name', '=', authorName).where('status', '=', 'approved').executeTakeFirst();
  if (approved && approved.user_id !== user.id) return { ok: false, reason: 'taken', message: `"${authorName}" on this paper is already verified for another account.` };
  if (approved) return { ok: true, claim: { ...(await claimOf(db, user.id, paper.id, authorName)), status: 'approved' } };
  await ensureProfile(db, user, now);
  const at = now.toISOString();
  await db
    .insertInto('author_claim')
    .values({ paper_id: paper.id, author_name: authorName, user_id: user.id, status: 'pending', created_at: at })
    .onConflict((oc) => oc.columns(['paper_id', 'author_name', 'user_id']).doUpdateSet({ status: 'pending', created_at: at, decided_at: null, decided_by: null }).where('author_claim.status', '=', 'rejected'))
    .execute();
  const claim = await claimOf(db, user.id, paper.id, authorName);
  return { ok: true, claim };
}

async function claimOf(db: Db, userId: number, paperId: number, authorName: string): Promise<{ id: number; status: ClaimStatus }> {
  const row = await db.selectFrom('author_claim').select(['id', 'status']).where('user_id', '=', userId).where('paper_id', '=', paperId).where('author_name', '=', authorName).executeTakeFirstOrThrow();
  return { id: row.id, status: row.status as ClaimStatus };
}

/**
 * A curator's decision, audited in the same transaction. Approving fails when another account
 * holds that name on that paper already; deciding twice the same way changes nothing.
 */
export async function decideClaim(db: Db, actor: Actor, claimId: number, approve: boolean, reason: string, now: Date): Promise<{ ok: true } | { ok: false; message: string }> {
  return db.transaction().execute(async (tx) => {
    const claim = await tx
      .selectFrom('author_claim as c')
      .innerJoin('paper as p', 'p.id', 'c.paper_id')
      .innerJoin('user_account as u', 'u.id', 'c.user_id')
      .select(['c.id', 'c.paper_id', 'c.author_name', 'c.user_id', 'c.status', 'p.arxiv_id', 'u.email'])
      .where('c.id', '=', claimId)
      .executeTakeFirst();
    if (!claim) return { ok: false, message: 'No such claim.' };
    if (approve) {
      const other = await tx.selectFrom('author_claim').select('id').where('paper_id', '=', claim.paper_id).where('author_name', '=', claim.author_name).where('status', '=', 'approved').where('id', '!=', claim.id).executeTakeFirst();
      if (other) return { ok: false, message: `"${claim.author_name}" on ${claim.arxiv_id} is already verified for another account.` };
    }
    const status: ClaimStatus = approve ? 'approved' : 'rejected';
    if (claim.status === status) return { ok: true };
    await tx.updateTable('author_claim').set({ status, decided_at: now.toISOString(), decided_by: actor.id }).where('id', '=', claim.id).execute();
    await recordAudit(tx, actor, approve ? 'approve_claim' : 'reject_claim', `paper:${claim.arxiv_id}`, `${claim.author_name} = ${claim.email}${reason ? `: ${reason}` : ''}`, now);
    return { ok: true };
  });
}

function claimQuery(db: Db) {
  return db
    .selectFrom('author_claim as c')
    .innerJoin('paper as p', 'p.id', 'c.paper_id')
    .innerJoin('user_account as u', 'u.id', 'c.user_id')
    .leftJoin('user_profile as pr', 'pr.user_id', 'c.user_id')
    .select(['c.id', 'c.paper_id', 'p.arxiv_id', 'p.title', 'c.author_name', 'c.user_id', 'pr.handle', 'u.display_name', 'c.status', 'c.created_at']);
}

type ClaimRow = Awaited<ReturnType<ReturnType<typeof claimQuery>['execute']>>[number];

function claimFromRow(r: ClaimRow): Claim {
  return {
    id: r.id, paperId: r.paper_id, arxivId: r.arxiv_id, title: r.title, authorName: r.author_name, userId: r.user_id,
    handle: r.handle ?? `reader-${r.user_id}`, displayName: r.display_name ?? `reader ${r.user_id}`, status: r.status as ClaimStatus, createdAt: r.created_at,
  };
}

/** Claims waiting for a curator, oldest first. */
export async function listPendingClaims(db: Db, limit = 100): Promise<Claim[]> {
  const rows = await claimQuery(db).where('c.status', '=', 'pending').orderBy('c.created_at').orderBy('c.id').limit(limit).execute();
  return rows.map(claimFromRow);
}

/** A user's claims (approved only, unless `all`), newest paper first. */
export async function listUserClaims(db: Db, userId: number, opts: { all?: boolean; limit?: number } = {}): Promise<Claim[]> {
  let q = claimQuery(db).where('c.user_id', '=', userId);
  if (!opts.all) q = q.where('c.status', '=', 'approved');
  const rows = await q.orderBy('p.announced_on', 'desc').orderBy('c.id', 'desc').limit(opts.limit ?? 100).execute();
  return rows.map(claimFromRow);
}

/** Approved claims on these papers: paper id → author name → the verified account. */
export async function verifiedAuthors(db: Db, paperIds: number[]): Promise<Map<number, Map<string, { handle: string; displayName: string }>>> {
  const out = new Map<number, Map<string, { handle: string; displayName: string }>>();
  if (paperIds.length === 0) return out;
  const rows = await claimQuery(db).where('c.status', '=', 'approved').where('c.paper_id', 'in', paperIds).execute();
  for (const r of rows.map(claimFromRow)) {
    const m = out.get(r.paperId) ?? new Map();
    m.set(r.authorName, { handle: r.handle, displayName: r.displayName });
    out.set(r.paperId, m);
  }
  return out;
}

/** Accounts verified as this author name on at least one paper, most papers first. */
export async function verifiedAccountsForName(db: Db, authorName: string): Promise<Array<{ handle: string; displayName: string; papers: number }>> {
  const rows = await claimQuery(db).where('c.status', '=', 'approved').where('c.author_name', '=', authorName).execute();
  const byUser = new Map<number, { handle: string; displayName: string; papers: number }>();
  for (const r of rows.map(claimFromRow)) {
    const e = byUser.get(r.userId) ?? { handle: r.handle, displayName: r.displayName, papers: 0 };
    e.papers++;
    byUser.set(r.userId, e);
  }
  return [...byUser.values()].sort((a, b) => b.papers - a.papers);
}

/** The user's claims on one paper, by author name (for the paper page's claim control). */
export async function userClaimsOnPaper(db: Db, userId: number, paperId: number): Promise<Map<string, ClaimStatus>> {
  const rows = await db.selectFrom('author_claim').select(['author_name', 'status']).where('user_id', '=', userId).where('paper_id', '=', paperId).execute();
  return new Map(rows.map((r) => [r.author_name, r.status as ClaimStatus]));
}

/** Users verified as an author of this paper: they hear about replies on its discussion too. */
export async function claimedAuthorIds(db: Db, paperId: number): Promise<number[]> {
  const rows = await db.selectFrom('author_claim').select('user_id').where('paper_id', '=', paperId).where('status', '=', 'approved').execute();
  return [...new Set(rows.map((r) => r.user_id))];
}
