// Comments, moderation, claims and profiles against the real store, once per dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';
import { ensureUser, findUserById, type User } from '../src/accounts/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { listAudit, setPaperHidden, setUserSuspended } from '../src/community/index.ts';
import {
  approveComment, countComments, deleteComment, editComment, listDiscussion, listHeldComments, listReportedComments, postComment, reportComment,
  setCommentHidden, setDiscussionLocked, type PostDeps,
} from '../src/comments/index.ts';
import {
  checkHandle, claimAuthorship, decideClaim, ensureProfile, findAuthorPapers, findUserByHandle, listPendingClaims, listUserClaims, updateProfile, verifiedAccountsForName, verifiedAuthors,
} from '../src/people/index.ts';

describe.each(testDialects())('discussion on %s', (dialect) => {
  let store: TestStore;
  let deps: PostDeps;
  let n = 0;
  const t0 = new Date('2026-07-01T10:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const user = async (name?: string): Promise<User> => {
    const u = await ensureUser(store.db, `u${++n}@example.org`, t0);
    if (name) await store.db.updateTable('user_account').set({ display_name: name }).where('id', '=', u.id).execute();
    return (await findUserById(store.db, u.id))!;
  };
  const curator = async () => {
    const u = await user('Cora Curator');
    await store.db.updateTable('user_account').set({ role: 'curator' }).where('id', '=', u.id).execute();
    return (await findUserById(store.db, u.id))!;
  };
  const paper = async () => (await findPaperByArxivId(store.db, (await createPaper(store, { authors: ['Ada Lovelace', 'Alan Turing'] })).arxivId))!;
  const post = (u: User, paperId: number, body: string, parentId?: number, when = t0) => postComment(deps, u, paperId, { body, parentId, ip: `10.0.0.${u.id}` }, when);

  beforeAll(async () => {
    store = await createTestStore(dialect);
    deps = { db: store.db, secret: 'test-secret-0123456789', config: { editWindowMinutes: 30, limitPerHour: 5, holdFirst: 0 } };
  });
  afterAll(async () => store.cleanup());

  it('threads replies one level deep and orders threads by newest activity or oldest first', async () => {
    const p = await paper();
    const [a, b] = [await user('Ada'), await user('Bob')];
    const first = await post(a, p.id, 'first', undefined, at(0));
    const second = await post(b, p.id, 'second', undefined, at(1));
    if (!first.ok || !second.ok) throw new Error('post failed');
    const reply = await post(b, p.id, 'a reply', first.id, at(2));
    const nested = await post(a, p.id, 'reply to the reply', reply.ok ? reply.id : 0, at(3));
    expect(nested.ok).toBe(true);
    const byActivity = await listDiscussion(store.db, p.id, undefined, 'activity');
    expect(byActivity.map((t) => t.comment.body)).toEqual(['first', 'second']);
    expect(byActivity[0]!.replies.map((r) => [r.body, r.parentId])).toEqual([['a reply', first.id], ['reply to the reply', first.id]]);
    expect((await listDiscussion(store.db, p.id, undefined, 'oldest')).map((t) => t.comment.body)).toEqual(['first', 'second']);
    await post(a, p.id, 'late reply', second.id, at(4));
    expect((await listDiscussion(store.db, p.id, undefined, 'activity')).map((t) => t.comment.body)).toEqual(['second', 'first']);
    expect((await countComments(store.db, [p.id])).get(p.id)).toBe(5);
    const other = await paper();
    expect(await post(a, other.id, 'wrong paper', first.id)).toMatchObject({ ok: false, reason: 'parent_not_found' });
  });

  it('refuses suspended users and locked discussions, and audits the lock', async () => {
    const p = await paper();
    const [u, c] = [await user(), await curator()];
    await setUserSuspended(store.db, { id: c.id, label: c.email }, u, true, 'spam', t0);
    expect(await post((await findUserById(store.db, u.id))!, p.id, 'hi')).toMatchObject({ ok: false, reason: 'suspended' });
    await setDiscussionLocked(store.db, { id: c.id, label: c.email }, p, true, 'heated', t0);
    expect(await post(await user(), p.id, 'hi')).toMatchObject({ ok: false, reason: 'locked' });
    expect((await listAudit(store.db, { limit: 5, target: `paper:${p.arxivId}` }))[0]).toMatchObject({ action: 'lock_discussion', reason: 'heated', actor: c.email });
    await setDiscussionLocked(store.db, { id: c.id, label: c.email }, p, false, 'calm', t0);
    expect((await post(await user(), p.id, 'hi')).ok).toBe(true);
    const hidden = await paper();
    await setPaperHidden(store.db, { id: c.id, label: c.email }, hidden, true, 'spam paper', t0);
    expect(await post(await user(), hidden.id, 'hi')).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('limits comments per account within the hour, counted in the store', async () => {
    const p = await paper();
    const u = await user();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => post(u, p.id, `c${i}`, undefined, at(10))));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: 'rate_limited' });
    expect((await post(u, p.id, 'next hour', undefined, at(70))).ok).toBe(true);
  });

  it('edits within the window, shown as edited, and deletes leaving "deleted" only above replies', async () => {
    const p = await paper();
    const [a, b] = [await user(), await user()];
    const root = await post(a, p.id, 'root');
    const lone = await post(a, p.id, 'lone');
    if (!root.ok || !lone.ok) throw new Error('post failed');
    expect(await editComment(deps, b, root.id, 'not mine', at(1))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await editComment(deps, a, root.id, 'root, edited', at(29))).toEqual({ ok: true });
    expect(await editComment(deps, a, root.id, 'too late', at(31))).toMatchObject({ ok: false, reason: 'window_closed' });
    await post(b, p.id, 'reply', root.id);
    expect(await deleteComment(store.db, a, root.id, at(40))).toEqual({ ok: true });
    expect(await deleteComment(store.db, a, lone.id, at(40))).toEqual({ ok: true });
    const threads = await listDiscussion(store.db, p.id, undefined, 'oldest');
    expect(threads).toHaveLength(1);
    expect(threads[0]!.comment).toMatchObject({ state: 'deleted', body: '', author: undefined });
    expect(threads[0]!.replies.map((r) => r.body)).toEqual(['reply']);
    // The last reply going takes the deleted placeholder with it.
    await deleteComment(store.db, b, threads[0]!.replies[0]!.id, at(41));
    expect(await listDiscussion(store.db, p.id, undefined, 'oldest')).toEqual([]);
  });

  it('turns reports into a queue; hiding resolves them, is audited and can be undone', async () => {
    const p = await paper();
    const [a, r1, r2, c] = [await user(), await user(), await user(), await curator()];
    const bad = await post(a, p.id, 'rude words');
    if (!bad.ok) throw new Error('post failed');
    await reportComment(store.db, r1, bad.id, 'rude', t0);
    await reportComment(store.db, r2, bad.id, 'off topic', t0);
    await reportComment(store.db, r2, bad.id, 'rude, really', t0);
    const queue = await listReportedComments(store.db);
    expect(queue.find((q) => q.id === bad.id)?.reports.sort()).toEqual(['rude', 'rude, really']);
    await setCommentHidden(store.db, { id: c.id, label: c.email }, bad.id, true, 'abusive', t0);
    expect((await listReportedComments(store.db)).find((q) => q.id === bad.id)).toBeUndefined();
    expect(await listDiscussion(store.db, p.id, r1, 'oldest')).toEqual([]);
    expect((await listDiscussion(store.db, p.id, c, 'oldest'))[0]!.comment).toMatchObject({ state: 'hidden', body: 'rude words' });
    expect(await countComments(store.db, [p.id])).toEqual(new Map());
    await setCommentHidden(store.db, { id: c.id, label: c.email }, bad.id, false, 'on appeal', t0);
    expect((await listDiscussion(store.db, p.id, r1, 'oldest'))[0]!.comment.state).toBe('visible');
    const audit = await listAudit(store.db, { limit: 2, target: `comment:${bad.id} on paper:${p.arxivId}` });
    expect(audit.map((e) => e.action)).toEqual(['restore_comment', 'hide_comment']);
  });

  it("holds a new account's first comments for review when set to", async () => {
    const p = await paper();
    const [a, reader, c] = [await user(), await user(), await curator()];
    const held = { ...deps, config: { ...deps.config, holdFirst: 1 } };
    const first = await postComment(held, a, p.id, { body: 'my first', ip: '10.9.9.9' }, t0);
    expect(first).toMatchObject({ ok: true, held: true });
    expect(await listDiscussion(store.db, p.id, reader, 'oldest')).toEqual([]);
    expect((await listDiscussion(store.db, p.id, a, 'oldest'))[0]!.comment.state).toBe('held');
    expect((await listHeldComments(store.db)).map((h) => h.body)).toContain('my first');
    expect(await postComment(held, c, p.id, { body: 'curator speaks', ip: '10.9.9.8' }, t0)).toMatchObject({ ok: true, held: false });
    await approveComment(store.db, { id: c.id, label: c.email }, first.ok ? first.id : 0, t0);
    expect((await listDiscussion(store.db, p.id, reader, 'oldest')).map((x) => x.comment.body)).toEqual(['my first', 'curator speaks']);
    expect(await postComment(held, a, p.id, { body: 'second', ip: '10.9.9.9' }, t0)).toMatchObject({ ok: true, held: false });
  });

  it('claims authorship: a curator approves (audited), another account cannot take the same name', async () => {
    const p = await paper();
    const [ada, impostor, c] = [await user('Ada L.'), await user(), await curator()];
    expect(await claimAuthorship(store.db, ada, p, 'Grace Hopper', t0)).toMatchObject({ ok: false, reason: 'not_an_author' });
    const claim = await claimAuthorship(store.db, ada, p, 'Ada Lovelace', t0);
    const rival = await claimAuthorship(store.db, impostor, p, 'Ada Lovelace', t0);
    if (!claim.ok || !rival.ok) throw new Error('claim failed');
    expect((await listPendingClaims(store.db)).map((x) => x.id)).toEqual(expect.arrayContaining([claim.claim.id, rival.claim.id]));
    expect(await decideClaim(store.db, { id: c.id, label: c.email }, claim.claim.id, true, 'ORCID matches', t0)).toEqual({ ok: true });
    expect(await decideClaim(store.db, { id: c.id, label: c.email }, rival.claim.id, true, '', t0)).toMatchObject({ ok: false });
    expect(await decideClaim(store.db, { id: c.id, label: c.email }, rival.claim.id, false, 'no evidence', t0)).toEqual({ ok: true });
    expect(await claimAuthorship(store.db, impostor, p, 'Ada Lovelace', t0)).toMatchObject({ ok: false, reason: 'taken' });
    const handle = (await ensureProfile(store.db, ada, t0)).handle;
    expect(handle).toBe('ada-l');
    expect((await verifiedAuthors(store.db, [p.id])).get(p.id)?.get('Ada Lovelace')).toEqual({ handle, displayName: 'Ada L.' });
    expect((await listUserClaims(store.db, ada.id)).map((x) => x.arxivId)).toEqual([p.arxivId]);
    expect(await verifiedAccountsForName(store.db, 'Ada Lovelace')).toEqual([{ handle, displayName: 'Ada L.', papers: 1 }]);
    const audit = await listAudit(store.db, { limit: 2, target: `paper:${p.arxivId}` });
    expect(audit.map((e) => e.action)).toEqual(['reject_claim', 'approve_claim']);
    expect(audit[1]!.reason).toBe(`Ada Lovelace = ${ada.email}: ORCID matches`);
  });

  it('gives profiles unique handles and keeps chosen ones unique', async () => {
    const [a, b] = [await user('Grace Hopper'), await user('Grace Hopper')];
    expect((await ensureProfile(store.db, a, t0)).handle).toBe('grace-hopper');
    expect((await ensureProfile(store.db, b, t0)).handle).toBe(`grace-hopper-${b.id}`);
    expect(await updateProfile(store.db, b, { handle: 'grace-hopper' }, t0)).toMatchObject({ ok: false, field: 'handle' });
    expect(await updateProfile(store.db, b, { handle: 'amazing-grace', showUpvotes: true }, t0)).toMatchObject({ ok: true, profile: { handle: 'amazing-grace', showUpvotes: true, notifyReplies: false } });
    expect((await findUserByHandle(store.db, 'Amazing-Grace'))?.user.id).toBe(b.id);
    expect(checkHandle('reader-1', 2)).toMatchObject({ ok: false });
    expect(checkHandle('<script>')).toMatchObject({ ok: false });
  });

  it("lists an author's papers newest first with co-authors, matching whole names only", async () => {
    await createPaper(store, { arxivId: '2607.00001', authors: ['Emmy Noether', 'Hermann Weyl'], categories: ['math.RA'], announcedOn: '2026-07-01' });
    await createPaper(store, { arxivId: '2607.00002', authors: ['Emmy Noether', 'Emil Artin'], categories: ['math.RA', 'cs.LG'], announcedOn: '2026-07-03' });
    await createPaper(store, { arxivId: '2607.00003', authors: ['Emmy Noether-Smith'], announcedOn: '2026-07-04' });
    await createPaper(store, { arxivId: '2607.00004', authors: ['emmy noether'], announcedOn: '2026-07-04' });
    const found = await findAuthorPapers(store.db, 'Emmy Noether', { limit: 10, offset: 0 });
    expect(found.papers.map((x) => x.arxivId)).toEqual(['2607.00002', '2607.00001']);
    expect(found.summary.coAuthors).toEqual([{ name: 'Emil Artin', papers: 1 }, { name: 'Hermann Weyl', papers: 1 }]);
    expect(found.summary.categories[0]).toEqual({ code: 'math.RA', papers: 2 });
    expect(found.summary.total).toBe(2);
  });
});
