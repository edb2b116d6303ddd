// Reply notifications end to end below HTTP: comments → the reply-notify run → the digest outbox →
// a real SMTP server on loopback. Once per dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { silentLogger } from '../src/log.ts';
import { createMailer, sendQueuedMail, type Mailer } from '../src/mail/index.ts';
import { ensureUser, findUserById, type User } from '../src/accounts/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { postComment, queueReplyNotices, type PostDeps } from '../src/comments/index.ts';
import { claimAuthorship, decideClaim, stopReplyMail, updateProfile } from '../src/people/index.ts';

describe.each(testDialects())('reply notifications on %s', (dialect) => {
  let store: TestStore;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let deps: PostDeps;
  let n = 0;
  const t0 = new Date('2026-07-02T09:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const user = async (name: string, notify: boolean): Promise<User> => {
    const u = await ensureUser(store.db, `${name.toLowerCase()}${++n}@example.org`, t0);
    await store.db.updateTable('user_account').set({ display_name: name }).where('id', '=', u.id).execute();
    const full = (await findUserById(store.db, u.id))!;
    if (notify) await updateProfile(store.db, full, { notifyReplies: true }, t0);
    return full;
  };
  const post = async (u: User, paperId: number, body: string, parentId: number | undefined, when: Date) => {
    const r = await postComment(deps, u, paperId, { body, parentId, ip: '10.2.0.1' }, when);
    if (!r.ok) throw new Error(r.message);
    return r.id;
  };
  const run = async (when: Date) => {
    const q = await queueReplyNotices(store.db, { baseUrl: 'http://paperboy.test', secret: 'test-secret-0123456789', now: when });
    const s = await sendQueuedMail(store.db, mailer, { log: silentLogger, now: () => when });
    return { ...q, sent: s.sent };
  };

  beforeAll(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url });
    mailer = createMailer(store.config, silentLogger);
    deps = { db: store.db, secret: 'test-secret-0123456789', config: { editWindowMinutes: 30, limitPerHour: 100, holdFirst: 0 } };
  });
  afterAll(async () => {
    mailer.close();
    await store.cleanup();
    await smtp.close();
  });

  it('mails thread participants who opted in, batched to one mail per thread per hour, with one-click unsubscribe', async () => {
    const paper = (await findPaperByArxivId(store.db, (await createPaper(store, { title: 'Attention Is Enough' })).arxivId))!;
    const [ada, bob, quiet] = [await user('Ada', true), await user('Bob', false), await user('Quiet', false)];
    const root = await post(ada, paper.id, 'Is the ablation in table 2 fair?', undefined, at(0));
    await post(quiet, paper.id, 'unrelated thread', undefined, at(0));
    expect(await run(at(1))).toMatchObject({ queued: 0 });

    await post(bob, paper.id, 'Yes: same **budget**.', root, at(2));
    const before = smtp.messages.length;
    expect(await run(at(3))).toMatchObject({ queued: 1, sent: 1 });
    const [mail] = await smtp.waitFor(before + 1).then((m) => m.slice(before));
    expect(mail!.to).toEqual([ada.email]);
    expect(mail!.parsed.subject).toBe('Bob replied on “Attention Is Enough”');
    expect(mail!.parsed.text).toContain('Yes: same **budget**.');
    expect(mail!.parsed.text).toContain(`/papers/${paper.arxivId}#comment-${root}`);
    expect(mail!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const line = mail!.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/\r?\n\s+/g, ' ');
    const unsubscribe = /<(http[^>]+\/notifications\/unsubscribe\/[^>]+)>/.exec(line)?.[1];
    expect(unsubscribe).toMatch(new RegExp(`/notifications/unsubscribe/${ada.id}\\.`));

    // Two more replies within the hour wait, then go together in one mail.
    await post(bob, paper.id, 'Also see appendix B.', root, at(10));
    await post(quiet, paper.id, 'And the code release.', root, at(20));
    expect(await run(at(30))).toMatchObject({ queued: 0, deferred: 1, nextDueAt: at(63).toISOString() });
    expect(smtp.messages.length).toBe(before + 1);
    const second = await run(at(64));
    expect(second).toMatchObject({ queued: 1, sent: 1 });
    const [batch] = await smtp.waitFor(before + 2).then((m) => m.slice(before + 1));
    expect(batch!.parsed.subject).toBe('2 new comments on “Attention Is Enough”');
    expect(batch!.parsed.text).toContain('Also see appendix B.');
    expect(batch!.parsed.text).toContain('And the code release.');
    // Bob, who replied, did not opt in: nothing for him; running again sends nothing new.
    expect(smtp.messages.slice(before).every((m) => m.to[0] === ada.email)).toBe(true);
    expect(await run(at(200))).toMatchObject({ queued: 0, sent: 0 });

    // After the one-click unsubscribe, nothing more is queued for Ada.
    expect(await stopReplyMail(store.db, ada.id, at(299))).toBe(true);
    await post(bob, paper.id, 'One more.', root, at(300));
    expect(await run(at(301))).toMatchObject({ queued: 0, sent: 0 });
  });

  it('tells a verified author of the paper about new threads and replies, not their own', async () => {
    const paper = (await findPaperByArxivId(store.db, (await createPaper(store, { title: 'Claimed Paper', authors: ['Grace Hopper'] })).arxivId))!;
    const [grace, reader, curator] = [await user('Grace', true), await user('Reader', false), await user('Cora', false)];
    const claim = await claimAuthorship(store.db, grace, paper, 'Grace Hopper', t0);
    if (!claim.ok) throw new Error('claim failed');
    await decideClaim(store.db, { id: curator.id, label: curator.email }, claim.claim.id, true, '', t0);
    const before = smtp.messages.length;
    await post(reader, paper.id, 'Great paper! How was the compiler tested?', undefined, at(0));
    await post(grace, paper.id, 'My own note.', undefined, at(0));
    expect(await run(at(1))).toMatchObject({ queued: 1, sent: 1 });
    const [mail] = await smtp.waitFor(before + 1).then((m) => m.slice(before));
    expect(mail!.to).toEqual([grace.email]);
    expect(mail!.parsed.subject).toBe('Reader commented on “Claimed Paper”');
  });
});
