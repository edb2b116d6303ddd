import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ensureUser } from '../src/accounts/index.ts';
import { countedVotes, countedVotesBetween, setUserSuspended, setVote } from '../src/community/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { up as voteDayUp } from '../src/store/migrations/0901-vote-day.ts';
import { createPaper, createTestStore, testDialects, type TestStore } from './helpers.ts';

const ADMIN = { id: null, label: 'test' };

describe.each(testDialects())('upvotes per day on %s', (dialect) => {
  let store: TestStore;
  const ids: number[] = [];

  /** Counted votes per paper between two instants, read from every vote: what the aggregate must equal. */
  const bruteForce = async (fromDay: string, untilIso: string) => {
    const rows = await countedVotes(store.db)
      .select(['vote.paper_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('vote.created_at', '>=', `${fromDay}T00:00:00.000Z`)
      .where('vote.created_at', '<=', untilIso)
      .groupBy('vote.paper_id')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.paper_id, Number(r.n)]).filter(([, n]) => n !== 0));
  };
  const aggregated = async (fromDay: string, untilIso: string) => {
    const rows = await countedVotesBetween(store.db, fromDay, untilIso).execute();
    return Object.fromEntries(rows.map((r) => [r.paper_id, Number(r.n)]).filter(([, n]) => n !== 0));
  };
  const WINDOWS: Array<[string, string]> = [
    ['2026-06-01', '2026-06-30T23:59:59.999Z'],
    ['2026-06-10', '2026-06-12T00:00:00.000Z'],
    ['2026-06-10', '2026-06-12T13:30:00.000Z'],
    ['2026-06-11', '2026-06-11T08:00:00.000Z'],
    ['2026-06-12', '2026-06-10T00:00:00.000Z'],
  ];
  const expectSame = async () => {
    for (const [from, until] of WINDOWS) expect(await aggregated(from, until), `${from} … ${until}`).toEqual(await bruteForce(from, until));
  };

  beforeAll(async () => {
    store = await createTestStore(dialect);
    for (let i = 0; i < 4; i++) {
      const p = await createPaper(store, { arxivId: `2606.4000${i}`, announcedOn: '2026-06-10' });
      ids.push((await findPaperByArxivId(store.db, p.arxivId))!.id);
    }
    // Votes over three days, at day boundaries and inside them.
    const times = ['2026-06-10T00:00:00.000Z', '2026-06-10T23:59:59.999Z', '2026-06-11T08:00:00.000Z', '2026-06-12T00:00:00.000Z', '2026-06-12T13:30:00.000Z', '2026-06-12T20:00:00.000Z'];
    for (let u = 0; u < 12; u++) {
      const user = await ensureUser(store.db, `day${u}@example.org`, new Date('2026-06-01T00:00:00Z'));
      for (let k = 0; k <= u % 4; k++) await setVote(store.db, user.id, ids[(u + k) % 4]!, true, new Date(times[(u * 7 + k) % times.length]!));
    }
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('adds up to the same counts as the votes themselves, for whole and partial days', async () => {
    expect(Object.keys(await bruteForce('2026-06-01', '2026-06-30T00:00:00.000Z')).length).toBe(4);
    await expectSame();
  });

  it('counts a repeated vote once and follows removals, suspensions and cascading deletions', async () => {
    const user = await ensureUser(store.db, 'day0@example.org', new Date());
    await setVote(store.db, user.id, ids[0]!, true, new Date('2026-06-11T09:00:00.000Z'));
    await setVote(store.db, user.id, ids[0]!, true, new Date('2026-06-12T09:00:00.000Z'));
    await expectSame();
    await setVote(store.db, user.id, ids[0]!, false, new Date());
    await expectSame();

    const suspended = await ensureUser(store.db, 'day5@example.org', new Date());
    await setUserSuspended(store.db, ADMIN, suspended, true, 'test', new Date());
    await expectSame();
    await setUserSuspended(store.db, ADMIN, { ...suspended, suspended: true }, false, 'test', new Date());
    await expectSame();

    await store.db.deleteFrom('paper').where('id', '=', ids[3]!).execute();
    await store.db.deleteFrom('user_account').where('email', '=', 'day7@example.org').execute();
    await expectSame();
    const left = await store.db.selectFrom('vote_day').select((eb) => eb.fn.sum<number>('n').as('n')).executeTakeFirstOrThrow();
    const votes = await store.db.selectFrom('vote').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(Number(votes.n));
  });

  it('fills the table from the votes already cast when the migration runs', async () => {
    await sql`DROP TABLE vote_day`.execute(store.db);
    if (dialect === 'postgres') await sql`DROP FUNCTION vote_day_count() CASCADE`.execute(store.db);
    else for (const t of ['insert', 'delete', 'update']) await sql`DROP TRIGGER ${sql.raw(`vote_day_${t}`)}`.execute(store.db);
    await voteDayUp(store.db);
    await expectSame();
    const user = await ensureUser(store.db, 'late@example.org', new Date());
    await setVote(store.db, user.id, ids[1]!, true, new Date('2026-06-11T10:00:00.000Z'));
    await expectSame();
  });
});
