import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { Browser, csrfOf, signInByEmail } from './community-helpers.ts';

describe.each(testDialects())('library pages on %s', (dialect) => {
  let smtp: TestSmtp;
  let store: TestStore;
  let t: TestApp;
  let ip = 1;
  const browser = () => new Browser(t.url, `10.7.0.${ip++}`);

  beforeAll(async () => {
    smtp = await startTestSmtp();
    store = await createTestStore(dialect, { SMTP_URL: smtp.url, WRITE_LIMIT_PER_MINUTE: '100' });
    await createPaper(store, { arxivId: '2603.60001', announcedOn: '2026-03-02', title: 'Policy gradients with sparse rewards', abstract: 'Reinforcement learning agents, policy gradients and sparse rewards.', categories: ['cs.LG'] });
    await createPaper(store, { arxivId: '2603.60002', announcedOn: '2026-03-03', title: 'Reward shaping for exploration', abstract: 'Exploration in reinforcement learning with shaped rewards.', categories: ['cs.LG'] });
    await createPaper(store, { arxivId: '2606.60003', announcedOn: '2026-06-30', title: 'Sparse-reward reinforcement learning with policy priors', abstract: 'Policy gradients under sparse rewards.', categories: ['cs.LG'] });
    await createPaper(store, { arxivId: '2606.60004', announcedOn: '2026-06-29', title: 'Weak lensing clusters', abstract: 'Galaxy clusters.', categories: ['astro-ph.CO'], authors: ['Vera Rubin'] });
    t = await startTestApp(store);
  });
  afterAll(async () => {
    await t.close();
    await store.cleanup();
    await smtp.close();
  });

  it('saves from a card with a plain form, edits tags and note on the paper page, and lists by tag', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'saver@example.org');
    const home = await b.get('/?date=2026-03-02');
    expect(home.body).toContain('data-save="2603.60001"');
    const saved = await b.post('/library/save', { _csrf: csrfOf(home.body), paper: '2603.60001', save: '1', next: '/?date=2026-03-02' });
    expect(saved).toMatchObject({ status: 303, location: '/?date=2026-03-02' });
    const paper = await b.get('/papers/2603.60001');
    expect(paper.body).toMatch(/aria-pressed="true"[^>]*title="Saved to your library/);
    const edit = await b.post('/library/papers/2603.60001', { _csrf: csrfOf(paper.body), tags: 'RL, reading', note: 'baseline <b>', read: '1', next: '/library' });
    expect(edit).toMatchObject({ status: 303, location: '/library' });
    const json = await b.post('/library/save', { _csrf: csrfOf(paper.body), paper: '2603.60002', save: '1' }, { accept: 'application/json' });
    expect(JSON.parse(json.body)).toEqual({ paper: '2603.60002', saved: true });
    const lib = await b.get('/library?tag=rl');
    expect(lib.status).toBe(200);
    expect(lib.body).toContain('Policy gradients with sparse rewards');
    expect(lib.body).not.toContain('Reward shaping for exploration');
    expect(lib.body).toContain('baseline &lt;b&gt;');
    expect((await b.get('/library')).body).toContain('Reward shaping for exploration');
    const bib = await b.get('/library/export.bib?tag=rl');
    expect(bib.body).toMatch(/eprint = \{2603\.60001\}[\s\S]*keywords = \{reading, rl\}[\s\S]*annote = \{baseline <b>\}/);
    const jsonl = (await b.get('/library/export.jsonl')).body.trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl.map((p) => p.arxiv_id).sort()).toEqual(['2603.60001', '2603.60002']);
  });

  it('answers bad input with a 400 naming the field, and refuses forms without CSRF', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'bad@example.org');
    const csrf = await b.csrf();
    expect((await b.post('/library/save', { _csrf: csrf, paper: 'nonsense', save: '1' })).body).toContain('paper:');
    expect((await b.post('/library/save', { _csrf: csrf, paper: '2603.60001', save: 'maybe' })).status).toBe(400);
    const badTags = await b.post('/library/papers/2603.60001', { _csrf: csrf, tags: 'x'.repeat(41) });
    expect(badTags.status).toBe(400);
    expect(badTags.body).toContain('tags:');
    expect((await b.get('/library?sort=best')).status).toBe(400);
    expect((await b.get('/for-you?days=5')).body).toContain('days:');
    expect((await b.post('/follows', { _csrf: csrf, kind: 'planet', value: 'x' })).body).toContain('kind:');
    expect((await b.post('/library/import', { _csrf: csrf, text: 'nothing here' })).body).toContain('text:');
    expect((await b.post('/library/save', { paper: '2603.60001', save: '1' })).status).toBe(403);
    const anon = browser();
    expect((await anon.get('/library')).status).toBe(303);
  });

  it('imports a list, recommends with reasons, follows an author, and publishes a collection with a feed', async () => {
    const b = browser();
    await signInByEmail(b, smtp, 'group@example.org');
    const cold = await b.get('/for-you');
    expect(cold.body).toContain('Start your list');
    const csrf = await b.csrf();
    const imported = await b.post('/library/import', { _csrf: csrf, text: '@misc{a, eprint={2603.60001}}\n@misc{b, url={https://arxiv.org/abs/2603.60002v1}}\n@misc{c, eprint={2612.99999}}', tags: 'rl' });
    expect(imported.location).toMatch(/^\/library\?imported=2&missing=2612\.99999&tag=rl$/);
    const forYou = await b.get("/for-you");
    expect(forYou.body).toMatch(/Sparse-reward reinforcement learning with policy priors[\s\S]*like (a paper|2 papers) you saved in rl/);
    expect((await b.get('/for-you?tag=rl')).body).toContain('Sparse-reward reinforcement learning');
    await b.post('/follows', { _csrf: csrf, kind: 'author', value: 'Vera Rubin', next: '/for-you' });
    expect((await b.get('/for-you')).body).toContain('by Vera Rubin, whom you follow');
    expect((await b.get('/follows')).body).toContain('Vera Rubin');
    const tagPage = await b.get('/library/tags/rl');
    const tagId = /action="\/library\/tags\/(\d+)"/.exec(tagPage.body)![1]!;
    await b.post(`/library/tags/${tagId}/move`, { _csrf: csrf, paper: '2603.60002', direction: 'up' });
    await b.post(`/library/tags/${tagId}/note`, { _csrf: csrf, paper: '2603.60002', note: 'start here' });
    expect((await b.get(`/collections/${tagId}`)).status).toBe(404);
    const publish = await b.post(`/library/tags/${tagId}`, { _csrf: csrf, name: 'rl', description: 'Reading group: RL', public: '1' });
    expect(publish.status).toBe(303);
    const anon = browser();
    const page = await anon.get(`/collections/${tagId}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/Reading group: RL[\s\S]*Reward shaping for exploration[\s\S]*start here[\s\S]*Policy gradients with sparse rewards/);
    const feed = await anon.get(`/collections/${tagId}/feed.atom`);
    expect(feed.status).toBe(200);
    expect(feed.body).toMatch(/<feed[\s\S]*Reward shaping for exploration[\s\S]*Policy gradients with sparse rewards/);
    const account = await b.get('/account');
    const link = /value="http:\/\/paperboy\.test(\/feeds\/private\/[^"]+\/for-you\.atom)"/.exec(account.body)![1]!;
    const priv = await anon.get(link);
    expect(priv.status).toBe(200);
    expect(priv.body).toContain('Sparse-reward reinforcement learning');
    expect((await anon.get(link.replace('for-you.atom', 'tags/rl.atom'))).status).toBe(200);
    await b.post('/account/feeds/revoke', { _csrf: csrf });
    expect((await anon.get(link)).status).toBe(404);
    expect((await b.get('/account')).body).not.toContain(link);
  });
});
