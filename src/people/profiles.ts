// Profiles: the public face of an account at /users/{handle} — a handle, what the user chooses to
// show (upvotes), and whether replies are mailed to them. A profile is made on first need, with a
// handle from the display name, so every commenter and claimant has a page.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db, Tx } from '../store/db.ts';
import type { User } from '../accounts/index.ts';
import { userFromRow } from '../accounts/index.ts';

export interface Profile {
  userId: number;
  handle: string;
  showUpvotes: boolean;
  notifyReplies: boolean;
}

export const HANDLE_HELP = 'Handles are 2–30 lower-case letters, digits or hyphens, starting with a letter.';
const HANDLE = /^[a-z][a-z0-9-]{0,28}[a-z0-9]$/;
/** Generated handles; reserved so a chosen handle can never take one that another account falls back to. */
const GENERATED = /^reader-\d+$/;

export function checkHandle(raw: string, userId?: number): { ok: true; handle: string } | { ok: false; message: string } {
  const handle = raw.trim().toLowerCase();
  if (!HANDLE.test(handle) || handle.includes('--')) return { ok: false, message: HANDLE_HELP };
  if (GENERATED.test(handle) && handle !== `reader-${userId}`) return { ok: false, message: 'Handles of the form reader-N are reserved.' };
  return { ok: true, handle };
}

function slug(name: string): string {
  const s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24).replace(/-+$/, '');
  return /^[a-z]/.test(s) && s.length >= 2 ? s : '';
}

function profileFromRow(r: { user_id: number; handle: string; show_upvotes: number; notify_replies: number }): Profile {
  return { userId: r.user_id, handle: r.handle, showUpvotes: r.show_upvotes === 1, notifyReplies: r.notify_replies === 1 };
}

export async function findProfile(db: Db | Tx, userId: number): Promise<Profile | undefined> {
  const row = await db.selectFrom('user_profile').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? profileFromRow(row) : undefined;
}

/** The user's profile, made now if missing: handle from the display name, else reader-N. Safe under concurrent calls. */
export async function ensureProfile(db: Db | Tx, user: Pick<User, 'id' | 'displayName' | 'hasDisplayName'>, now: Date): Promise<Profile> {
  const found = await findProfile(db, user.id);
  if (found) return found;
  const base = user.hasDisplayName ? slug(user.displayName) : '';
  for (const handle of [base, base && `${base}-${user.id}`, `reader-${user.id}`]) {
    if (!handle || !checkHandle(handle, user.id).ok) continue;
    // No conflict target: a taken handle and a profile made meanwhile are both skipped.
    await db.insertInto('user_profile').values({ user_id: user.id, handle, updated_at: now.toISOString() }).onConflict((oc) => oc.doNothing()).execute();
    const made = await findProfile(db, user.id);
    if (made) return made;
  }
  throw new Error(`no handle could be given to user ${user.id}`);
}

/** The user behind a handle, with their profile; suspended users have none. */
export async function findUserByHandle(db: Db, handle: string): Promise<{ user: User; profile: Profile } | undefined> {
  const row = await db
    .selectFrom('user_profile as p')
    .innerJoin('user_account as u', 'u.id', 'p.user_id')
    .selectAll('u')
    .select(['p.handle', 'p.show_upvotes', 'p.notify_replies', 'p.user_id'])
    .where('p.handle', '=', handle.toLowerCase())
    .executeTakeFirst();
  if (!row || row.suspended_at !== null) return undefined;
  return { user: userFromRow(row), profile: profileFromRow(row) };
}

/** Handles of these users (generated ones where no profile exists yet). */
export async function handlesOf(db: Db, userIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>(userIds.map((id) => [id, `reader-${id}`]));
  const ids = [...new Set(userIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('user_profile').select(['user_id', 'handle']).where('user_id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.user_id, r.handle);
  }
  return out;
}

export type ProfileUpdate = { handle?: string; showUpvotes?: boolean; notifyReplies?: boolean };

/** Saves profile choices; a handle someone else holds is refused with the field named. */
export async function updateProfile(db: Db, user: User, update: ProfileUpdate, now: Date): Promise<{ ok: true; profile: Profile } | { ok: false; field: 'handle'; message: string }> {
  await ensureProfile(db, user, now);
  if (update.handle !== undefined) {
    const taken = await db.selectFrom('user_profile').select('user_id').where('handle', '=', update.handle).where('user_id', '!=', user.id).executeTakeFirst();
    if (taken) return { ok: false, field: 'handle', message: `The handle "${update.handle}" is taken; pick another.` };
  }
  const set: Record<string, unknown> = { updated_at: now.toISOString() };
  if (update.handle !== undefined) set.handle = update.handle;
  if (update.showUpvotes !== undefined) set.show_upvotes = update.showUpvotes ? 1 : 0;
  if (update.notifyReplies !== undefined) set.notify_replies = update.notifyReplies ? 1 : 0;
  try {
    await db.updateTable('user_profile').set(set).where('user_id', '=', user.id).execute();
  } catch (err) {
    // Two accounts choosing one handle at the same moment: the unique index decides.
    if (update.handle !== undefined && /unique|duplicate/i.test((err as Error).message)) return { ok: false, field: 'handle', message: `The handle "${update.handle}" is taken; pick another.` };
    throw err;
  }
  return { ok: true, profile: (await findProfile(db, user.id))! };
}

/** Turns reply mail off (the one-click unsubscribe); true when it was on. */
export async function stopReplyMail(db: Db, userId: number, now: Date): Promise<boolean> {
  const res = await db.updateTable('user_profile').set({ notify_replies: 0, updated_at: now.toISOString() }).where('user_id', '=', userId).where('notify_replies', '=', 1).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}


function replyMac(secret: string, user: { id: number; email: string }): string {
  return createHmac('sha256', secret).update(`replies:${user.id}:${user.email}`).digest('base64url').slice(0, 32);
}

/** The RFC 8058 one-click link that turns reply mail off: "<user id>.<signature>", nothing stored. */
export function replyUnsubscribeUrl(baseUrl: string, secret: string, user: { id: number; email: string }): string {
  return `${baseUrl}/notifications/unsubscribe/${user.id}.${replyMac(secret, user)}`;
}

/** The account a reply-unsubscribe token was signed for, or undefined when it does not verify. */
export async function verifyReplyToken(db: Db, secret: string, token: string): Promise<User | undefined> {
  const m = /^(\d{1,12})\.([\w-]{32})$/.exec(token);
  if (!m) return undefined;
  const row = await db.selectFrom('user_account').selectAll().where('id', '=', Number(m[1])).executeTakeFirst();
  if (!row) return undefined;
  const expected = Buffer.from(replyMac(secret, { id: row.id, email: row.email }));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? userFromRow(row) : undefined;
}

/** Who submitted each of these papers (name and handle), for the avatars on cards. */
export async function submittersOf(db: Db, paperIds: number[]): Promise<Map<number, { name: string; handle: string }>> {
  const out = new Map<number, { name: string; handle: string }>();
  if (paperIds.length === 0) return out;
  const rows = await db
    .selectFrom('submission as s')
    .innerJoin('user_account as u', 'u.id', 's.user_id')
    .leftJoin('user_profile as p', 'p.user_id', 's.user_id')
    .select(['s.paper_id', 'u.id', 'u.display_name', 'p.handle'])
    .where('s.paper_id', 'in', paperIds)
    .execute();
  for (const r of rows) out.set(r.paper_id, { name: r.display_name ?? `reader ${r.id}`, handle: r.handle ?? `reader-${r.id}` });
  return out;
}
