import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, testDialects, startTestApp, type TestStore } from './helpers.ts';
import { ensureUser } from '../src/accounts/index.ts';
import { setVote, setPaperHidden, pinPaper, setUserSuspended } from '../src/community/index.ts';
import { findPaperByArxivId, periodContaining } from '../src/papers/index.ts';
import { listTrending, latestListedDay } from '../src/trending/index.ts';

describe.each(testDialects())('trending lists on %s', (dialect) => {
  let store: TestStore;
  const ids = new Map<string, number>();
  const users: number[] = [];
  const vote = async (arxivId: string, n: number, at: string, from = 0) => {
    for (let i = from; i < from + n; i++) await setVote(store.db, users[i]!, ids.get(arxivId)!, true, new Date(at));
  };
  const order = async (period: Parameters<typeof listTrending>[1]['period'], now = '2026-07-02T12:00:00Z', category?: string) =>
    (await listTrending(store.db, { period, category, limit: 50, now: new Date(now) })).entries.map((e) => e.paper.arxivId);

  beforeAll(async () => {
    store = await createTestStore(dialect);
    const papers = [
      ['2606.30001', '2026-06-29', 0, ['cs.CL']],
      ['2606.30002', '2026-06-29', 0, ['cs.CV']],
      ['2606.30003', '2026-06-30', 5, ['cs.CL']], // HF prior
      ['2606.30004', '2026-06-30', 0, ['cs.CL']],
      ['2606.30005', '2026-07-01', 0, ['cs.LG']],
      ['2606.30006', '2026-07-01', 0, ['cs.LG']],
    ] as const;
    for (const [arxivId, announcedOn, hfUpvotes, categories] of papers) {
      await createPaper(store, { arxivId, announcedOn, hfUpvotes, categories: [...categories] });
      ids.set(arxivId, (await findPaperByArxivId(store.db, arxivId))!.id);
    }
    for (let i = 0; i < 12; i++) users.push((await ensureUser(store.db, `u${i}@example.org`, new Date('2026-06-01T00:00:00Z'))).id);
    // Monday 29 June: 30002 gets 2 votes that day, 30001 one; then 30001 gets 3 more once the next day is listed.
    await vote('2606.30002', 2, '2026-06-29T09:00:00Z');
    await vote('2606.30001', 1, '2026-06-29T10:00:00Z');
    await vote('2606.30001', 3, '2026-06-30T08:00:00Z', 1);
    // Tuesday 30 June: 30004 gets 6 local votes, 30003 has 5 from Hugging Face and 0 local.
    await vote('2606.30004', 6, '2026-06-30T15:00:00Z');
    // Wednesday 1 July (the latest day, still open): 30006 gets 1 vote, late on 2 July.
    await vote('2606.30006', 1, '2026-07-02T10:00:00Z');
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('ranks a closed day by the votes received before the next announcement', async () => {
    expect(await order(periodContaining('day', '2026-06-29'))).toEqual(['2606.30002', '2606.30001']);
  });

  it('counts imported Hugging Face upvotes as prior votes, and shows them apart', async () => {
    const { entries } = await listTrending(store.db, { period: periodContaining('day', '2026-06-30'), limit: 10, now: new Date('2026-07-02T12:00:00Z') });
    expect(entries.map((e) => [e.paper.arxivId, e.windowVotes, e.hfUpvotes, e.score])).toEqual([
      ['2606.30004', 6, 0, 6],
      ['2606.30003', 0, 5, 5],
    ]);
  });

  it('keeps the latest day open and breaks ties by recency', async () => {
    expect(await order(periodContaining('day', '2026-07-01'))).toEqual(['2606.30006', '2606.30005']);
    // Before the vote was cast, both have 0: the higher id (more recent) first.
    expect(await order(periodContaining('day', '2026-07-01'), '2026-07-01T12:00:00Z')).toEqual(['2606.30006', '2606.30005']);
  });

  it('ranks a week by votes within the week, across its days, and filters by category', async () => {
    const week = periodContaining('week', '2026-06-30');
    expect(await order(week)).toEqual(['2606.30004', '2606.30003', '2606.30001', '2606.30002', '2606.30006', '2606.30005']);
    expect(await order(week, '2026-07-02T12:00:00Z', 'cs.CL')).toEqual(['2606.30004', '2606.30003', '2606.30001']);
    const { total } = await listTrending(store.db, { period: week, limit: 2, now: new Date('2026-07-02T12:00:00Z') });
    expect(total).toBe(6);
  });

  it('spreads ties over the period: each day\'s first paper, then each day\'s second', async () => {
    // A quiet week, no votes at all: 2 papers on each of three days.
    const quiet = [['2606.15001', '2026-06-15'], ['2606.15002', '2026-06-15'], ['2606.16001', '2026-06-16'], ['2606.16002', '2026-06-16'], ['2606.17001', '2026-06-17'], ['2606.17002', '2026-06-17']] as const;
    for (const [arxivId, announcedOn] of quiet) await createPaper(store, { arxivId, announcedOn, categories: ['math.PR'] });
    const week = periodContaining('week', '2026-06-16');
    expect(await order(week)).toEqual(['2606.17002', '2606.16002', '2606.15002', '2606.17001', '2606.16001', '2606.15001']);
    // A month with the same ties spreads the same way; a day keeps its own order.
    expect((await order(periodContaining('month', '2026-06-16'), '2026-07-02T12:00:00Z', 'math.PR')).slice(0, 3)).toEqual(['2606.17002', '2606.16002', '2606.15002']);
    expect(await order(periodContaining('day', '2026-06-16'))).toEqual(['2606.16002', '2606.16001']);
  });

  it('ranks hot by time-decayed votes', async () => {
    // At 2 July noon: 30004 6/62^1.8 = .0036 > 30003 5 HF/62^1.8 = .0030 > 30006 1/38^1.8 = .0014 > 30001 4/86^1.8 = .0013.
    expect((await order('hot')).slice(0, 4)).toEqual(['2606.30004', '2606.30003', '2606.30006', '2606.30001']);
    // Without gravity, votes alone decide.
    const { entries } = await listTrending(store.db, { period: 'hot', limit: 3, now: new Date('2026-07-02T12:00:00Z'), hot: { gravity: 0, offsetHours: 2, windowDays: 30 } });
    expect(entries.map((e) => e.paper.arxivId)).toEqual(['2606.30004', '2606.30003', '2606.30001']);
  });

  it('re-ranks hot at once when a vote is cast or withdrawn, though the ranking is reused within a minute', async () => {
    const first = async () => (await order('hot'))[0];
    expect(await first()).toBe('2606.30004');
    // 30005 (listed 1 July, 38 h old) with 10 votes: 10/40^1.8 beats 30004's 6/62^1.8.
    await vote('2606.30005', 10, '2026-07-02T11:00:00Z', 2);
    expect(await first()).toBe('2606.30005');
    for (let i = 2; i < 12; i++) await setVote(store.db, users[i]!, ids.get('2606.30005')!, false, new Date('2026-07-02T11:30:00Z'));
    expect(await first()).toBe('2606.30004');
  });

  it('leaves hidden papers out, puts pinned ones first, and stops counting suspended voters', async () => {
    const actor = { id: null, label: 'test' };
    const now = new Date('2026-07-02T12:00:00Z');
    await setPaperHidden(store.db, actor, { id: ids.get('2606.30004')!, arxivId: '2606.30004' }, true, 'spam', now);
    await pinPaper(store.db, actor, { id: ids.get('2606.30002')!, arxivId: '2606.30002' }, '2026-06-30', 'great paper', now);
    expect(await order(periodContaining('day', '2026-06-30'))).toEqual(['2606.30002', '2606.30003']);
    const { entries } = await listTrending(store.db, { period: periodContaining('day', '2026-06-30'), limit: 5, now });
    expect(entries[0]!.pinned).toBe(true);
    expect(await order('hot')).not.toContain('2606.30004');

    const suspended = (await ensureUser(store.db, 'u0@example.org', now));
    await setUserSuspended(store.db, actor, suspended, true, 'vote ring', now);
    const week = await listTrending(store.db, { period: periodContaining('week', '2026-06-30'), limit: 10, now });
    expect(week.entries.find((e) => e.paper.arxivId === '2606.30002')!.windowVotes).toBe(1);
    expect(week.entries.find((e) => e.paper.arxivId === '2606.30002')!.votes).toBe(1);
    expect(await latestListedDay(store.db)).toBe('2026-07-01');
  });

  it('keeps the previous day open when the next listing day has only submissions', async () => {
    const { submitPaper } = await import('../src/community/index.ts');
    const { findUserById } = await import('../src/accounts/index.ts');
    const fetchPapers = async () => ({ ok: false as const, reason: 'unreachable' as const, message: 'not used' });
    const user = (await findUserById(store.db, users[5]!))!;
    const res = await submitPaper({ db: store.db, config: store.config, log: (await import('../src/log.ts')).silentLogger, fetchPapers }, user, '2606.30001', new Date('2026-07-04T10:00:00Z'));
    expect(res.ok).toBe(true);
    expect(await latestListedDay(store.db)).toBe('2026-07-04');
    // A vote on Saturday 4 July still counts for Wednesday 1 July: no arXiv announcement since.
    await vote('2606.30005', 2, '2026-07-04T11:00:00Z', 6);
    expect(await order(periodContaining('day', '2026-07-01'), '2026-07-04T12:00:00Z')).toEqual(['2606.30005', '2606.30006']);
    expect(await order(periodContaining('day', '2026-07-04'), '2026-07-04T12:00:00Z')).toEqual(['2606.30001']);
  });

  it('drives the home page: tabs including Hot, counts on cards', async () => {
    const t = await startTestApp(store, { now: () => new Date('2026-07-02T12:00:00Z') });
    try {
      const home = await (await fetch(`${t.url}/?date=2026-07-01`)).text();
      expect(home).toContain('href="/?view=hot"');
      expect(home.indexOf('2606.30006')).toBeLessThan(home.indexOf('2606.30005'));
      const hot = await fetch(`${t.url}/?view=hot`);
      expect(hot.status).toBe(200);
      const body = await hot.text();
      expect(body).toContain('Hot right now');
      expect(body).toMatch(/aria-current="page">Hot</);
      expect(body.indexOf('/papers/2606.30003')).toBeLessThan(body.indexOf('/papers/2606.30005'));
    } finally {
      await t.close();
    }
  });
});
