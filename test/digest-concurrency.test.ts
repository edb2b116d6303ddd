// Two processes sharing one outbox: each with its own connection pool (two pg pools, or two SQLite
// connections on one file), both sending at once through one SMTP server. Nobody gets a digest twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../src/mail/index.ts';
import { silentLogger } from '../src/log.ts';
import { periodContaining } from '../src/papers/index.ts';
import { renderDigests, runDigest, sendPendingDigests, type SendOptions } from '../src/digest/index.ts';
import { openStore, type Store } from '../src/store/db.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const SUBSCRIBERS = 300;
const DAY = '2026-06-30';

describe.each(testDialects())('two digest senders on one outbox on %s', (dialect) => {
  let smtp: TestSmtp;
  let store: TestStore;
  let other: Store;
  let mailers: Mailer[];

  beforeEach(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url });
    other = await openStore(store.config); // a second pool on the same database, as a second process has
    // Each sender logs in as its own SMTP user, so the server can tell them apart.
    const as = (user: string) => ({ ...store.config, smtpUrl: smtp.url.replace('smtp://', `smtp://${user}:pw@`) });
    mailers = [createMailer(as('a'), silentLogger, { maxConnections: 3 }), createMailer(as('b'), silentLogger, { maxConnections: 3 })];
    const categories = ['cs.CL', 'cs.LG', 'cs.CV'];
    for (let i = 0; i < 6; i++) await createPaper(store, { announcedOn: DAY, categories: [categories[i % 3]!], hfUpvotes: i });
    const at = new Date().toISOString();
    // Three different topic filters, so renderers have several bodies to agree on.
    const rows = Array.from({ length: SUBSCRIBERS }, (_, i) => ({
      email: `reader${i}@example.org`, frequency: 'daily', topics: JSON.stringify({ categories: [categories[i % 3]], keywords: [], authors: [] }),
      status: 'active', created_at: at, updated_at: at, confirmed_at: at,
    }));
    await store.db.insertInto('subscription').values(rows).execute();
  });
  afterEach(async () => {
    for (const m of mailers) await m.close();
    await other.close();
    await store.cleanup();
    await smtp.close();
  });

  // One message at a time per sender: the smallest claims (4 rows), so the two race for rows most often.
  const sendOpts: SendOptions = { secret: 'test-secret-0123456789', baseUrl: 'http://paperboy.test', mailFrom: 'paperboy <digest@paperboy.test>', log: silentLogger, concurrency: 1 };

  function expectOneDigestEach(): void {
    const perSubscriber = new Map<string, number>();
    for (const m of smtp.messages) perSubscriber.set(m.to[0]!, (perSubscriber.get(m.to[0]!) ?? 0) + 1);
    expect(perSubscriber.size).toBe(SUBSCRIBERS);
    expect([...perSubscriber.values()].filter((n) => n !== 1)).toEqual([]);
    expect(smtp.messages).toHaveLength(SUBSCRIBERS);
  }

  async function outboxStates(): Promise<Record<string, number>> {
    const rows = await store.db.selectFrom('digest_outbox').select(['state']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('state').execute();
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  it('sends every message exactly once when two pools send the same outbox at once', async () => {
    const rendered = await renderDigests(store.db, { frequency: 'daily', period: periodContaining('day', DAY), baseUrl: sendOpts.baseUrl, now: new Date() });
    expect(rendered.rendered).toBe(SUBSCRIBERS);
    // Messages wait until both senders have one in flight: "both took part" never depends on timing.
    smtp.holdUntilSessions(2);
    const [a, b] = await Promise.all([sendPendingDigests(store.db, mailers[0]!, sendOpts), sendPendingDigests(other.db, mailers[1]!, sendOpts)]);
    expect(a.sent + b.sent).toBe(SUBSCRIBERS);
    expect(a.sent).toBeGreaterThan(0); // both really took part
    expect(b.sent).toBeGreaterThan(0);
    expect(a.recovered + b.recovered).toBe(0);
    expectOneDigestEach();
    expect(await outboxStates()).toEqual({ sent: SUBSCRIBERS });
  });

  // Two processes rendering the same period is a PostgreSQL deployment (several workers). Two SQLite
  // connections in one process cannot overlap write transactions (the driver blocks the event loop
  // while it waits for the lock), so this race is played on PostgreSQL only.
  if (dialect === 'postgres') it('renders and sends once when two whole digest runs start at the same moment', async () => {
    const run = (db: Store['db'], mailer: Mailer) => runDigest(db, mailer, { ...sendOpts, frequency: 'daily', period: periodContaining('day', DAY) });
    const [a, b] = await Promise.all([run(store.db, mailers[0]!), run(other.db, mailers[1]!)]);
    expect(a.render.rendered + b.render.rendered).toBe(SUBSCRIBERS);
    expect(a.send!.sent + b.send!.sent).toBe(SUBSCRIBERS);
    expectOneDigestEach();
    expect(await outboxStates()).toEqual({ sent: SUBSCRIBERS });
    const contents = await store.db.selectFrom('digest_content').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(contents.n)).toBe(3);
  });
});
