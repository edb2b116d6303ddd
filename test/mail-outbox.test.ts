// The transactional mail outbox over a real SMTP server on loopback: retries, bounces, expiry,
// recovery of a dead sender's rows, and the prune job that removes expired rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, queueMail, sendQueuedMail, type Mailer } from '../src/mail/index.ts';
import { createSession, ensureUser } from '../src/accounts/index.ts';
import { createLoginToken } from '../src/accounts/login.ts';
import { requestSubscription } from '../src/digest/index.ts';
import { pruneExpired } from '../src/jobs/prune.ts';
import { silentLogger } from '../src/log.ts';
import { createTestStore, testDialects, type TestStore } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';

describe.each(testDialects())('mail outbox on %s', (dialect) => {
  let smtp: TestSmtp;
  let store: TestStore;
  let mailer: Mailer;
  const ctx = (now: Date) => ({ baseUrl: 'http://paperboy.test', now });
  const send = (now: Date) => sendQueuedMail(store.db, mailer, { log: silentLogger, now: () => now });
  const rowFor = (to: string) => store.db.selectFrom('mail_outbox').selectAll().where('recipient', '=', to).executeTakeFirstOrThrow();

  beforeAll(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url });
    mailer = createMailer(store.config, silentLogger);
  });
  afterAll(async () => {
    await mailer.close();
    await store.cleanup();
    await smtp.close();
  });

  it('retries a transient failure later and bounces a permanent one', async () => {
    const t0 = new Date('2026-07-01T10:00:00Z');
    smtp.reject('later@example.org', 451);
    smtp.reject('gone@example.org', 550);
    await queueMail(store.db, { kind: 'test', to: 'later@example.org', subject: 'Later', text: 'hello' }, ctx(t0));
    await queueMail(store.db, { kind: 'test', to: 'gone@example.org', subject: 'Gone', text: 'hello' }, ctx(t0));
    const first = await send(t0);
    expect(first).toMatchObject({ sent: 0, retried: 1, bounced: 1 });
    const waiting = await rowFor('later@example.org');
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1 });
    expect(Date.parse(waiting.next_attempt_at)).toBeGreaterThan(t0.getTime());
    expect(first.nextAttemptAt).toBe(waiting.next_attempt_at);
    expect((await rowFor('gone@example.org')).state).toBe('bounced');

    // Not due yet: nothing is tried. Once due (and the server accepts again), it leaves.
    expect((await send(t0)).retried).toBe(0);
    smtp.reject('later@example.org', 0);
    const before = smtp.messages.length;
    expect((await send(new Date(t0.getTime() + 60_000))).sent).toBe(1);
    expect(smtp.messages.slice(before).map((m) => m.to[0])).toEqual(['later@example.org']);
    expect(await rowFor('later@example.org')).toMatchObject({ state: 'sent', attempts: 2, last_error: null });
  });

  it('does not send a mail past its expiry', async () => {
    const t0 = new Date('2026-07-02T10:00:00Z');
    await queueMail(store.db, { kind: 'sign-in', to: 'stale@example.org', subject: 'Link', text: 'x', expiresAt: new Date(t0.getTime() + 60_000) }, ctx(t0));
    const s = await send(new Date(t0.getTime() + 120_000));
    expect(s.expired).toBe(1);
    expect((await rowFor('stale@example.org')).state).toBe('expired');
    expect(smtp.messages.some((m) => m.to.includes('stale@example.org'))).toBe(false);
  });

  it('sends again, with the same Message-ID, a row a dead process left mid-send', async () => {
    const t0 = new Date('2026-07-03T10:00:00Z');
    const messageId = await queueMail(store.db, { kind: 'test', to: 'orphan@example.org', subject: 'Orphan', text: 'x' }, ctx(t0));
    // As a process that was killed after handing the mail to SMTP would leave it (pid 2^22+1 does not exist).
    const { hostname } = await import('node:os');
    await store.db.updateTable('mail_outbox').set({ state: 'sending', attempts: 1, claimed_by: `${hostname()}/4194305/deadbeef:1`, lease_until: new Date(t0.getTime() + 600_000).toISOString() }).where('message_id', '=', messageId).execute();
    const s = await send(t0);
    expect(s).toMatchObject({ recovered: 1, sent: 1 });
    const got = smtp.messages.filter((m) => m.to.includes('orphan@example.org'));
    expect(got).toHaveLength(1);
    expect(got[0]!.parsed.messageId).toBe(`<${messageId}>`);
  });

  it('prunes expired sessions, sign-in links, unconfirmed subscriptions and old outbox rows, and nothing live', async () => {
    const now = new Date('2026-08-01T00:00:00Z');
    const past = new Date('2026-07-01T00:00:00Z');
    const user = await ensureUser(store.db, 'pruned@example.org', past);
    await createSession(store.db, user.id, 1, past); // expired on 2026-07-02
    await createSession(store.db, user.id, 60, past); // still valid
    await createLoginToken(store.db, 'pruned@example.org', {}, past);
    await createLoginToken(store.db, 'pruned@example.org', {}, now);
    await requestSubscription(store.db, 'never-confirmed@example.org', { frequency: 'daily', topics: { categories: [], keywords: [], authors: [] }, minUpvotes: 0 }, past);
    await requestSubscription(store.db, 'just-asked@example.org', { frequency: 'daily', topics: { categories: [], keywords: [], authors: [] }, minUpvotes: 0 }, now);
    const counts = await pruneExpired(store.db, now);
    expect(counts).toMatchObject({ sessions: 1, login_tokens: 1, unconfirmed_subscriptions: 1 });
    expect(counts.outbox_mail).toBeGreaterThanOrEqual(2); // the July rows of the tests above, all final
    const sessions = await store.db.selectFrom('user_session').select('token_hash').where('user_id', '=', user.id).execute();
    expect(sessions).toHaveLength(1);
    const subs = await store.db.selectFrom('subscription').select('email').where('email', 'in', ['never-confirmed@example.org', 'just-asked@example.org']).execute();
    expect(subs.map((r) => r.email)).toEqual(['just-asked@example.org']);
    expect(await store.db.selectFrom('login_token').select('email').where('email', '=', 'pruned@example.org').execute()).toHaveLength(1);
  });
});
