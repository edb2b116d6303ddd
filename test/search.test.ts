// Search end to end: the real app on loopback, a fresh store of each dialect, papers made to order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureUser } from '../src/accounts/index.ts';
import { setUserSuspended, setVote } from '../src/community/index.ts';
import { findPaperByArxivId, upsertPapers } from '../src/papers/index.ts';
import { postComment } from '../src/comments/index.ts';
import { createPaper, createTestStore, startTestApp, testDialects, type TestApp, type TestStore } from './helpers.ts';

describe.each(testDialects())('search on %s', (dialect) => {
  let store: TestStore;
  let app: TestApp;

  async function api(query: Record<string, string>) {
    const res = await fetch(`${app.url}/api/papers/search?${new URLSearchParams(query)}`);
    return { status: res.status, body: (await res.json()) as any };
  }

  beforeAll(async () => {
    store = await createTestStore(dialect);
    await createPaper(store, { arxivId: '2501.00001', title: 'Attention is all you need', abstract: 'We propose the Transformer, based solely on attention mechanisms. <script>alert(1)</script>', authors: ['Ashish Vaswani', 'Noam Shazeer'], categories: ['cs.CL', 'cs.LG'], announcedOn: '2025-01-10', hfUpvotes: 5 });
    await createPaper(store, { arxivId: '2502.00002', title: 'Mamba: linear-time sequence modeling with selective state spaces', abstract: 'State space models rival attention. Code: https://github.com/state-spaces/mamba', authors: ['Albert Gu', 'Tri Dao'], categories: ['cs.LG'], announcedOn: '2025-02-10', hfUpvotes: 50 });
    await createPaper(store, { arxivId: '2503.00003', title: 'A survey of attention in vision', abstract: 'We review attention for image generation and recognition.', authors: ['Jane Doe'], categories: ['cs.CV'], announcedOn: '2025-03-10' });
    await createPaper(store, { arxivId: '2504.00004', title: 'Protein folding with graph networks', abstract: 'Graph neural networks predict protein structure.', authors: ['Geoffrey Hinton'], categories: ['q-bio.BM'], announcedOn: '2025-04-10' });
    app = await startTestApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  describe('GET /api/papers/search', () => {
    it('ranks papers with the word in their title first and reports the total', async () => {
      const { status, body } = await api({ q: 'attention' });
      expect(status).toBe(200);
      expect(body.total).toBe(3);
      expect(body.results.slice(0, 2).map((r: any) => r.id).sort()).toEqual(['2501.00001', '2503.00003']);
      expect(body.results[2].id).toBe('2502.00002');
      expect(body.results[0].score).toBeGreaterThan(body.results[2].score);
      const vaswani = body.results.find((r: any) => r.id === '2501.00001');
      expect(vaswani.title).toBe('Attention is all you need');
      expect(vaswani.snippet).toContain('<mark>attention</mark>');
      expect(vaswani.snippet).toContain('&lt;script&gt;');
      expect(vaswani.snippet).not.toContain('<script>');
    });

    it('needs all words of a short query, and falls back to any with a note', async () => {
      expect((await api({ q: 'attention vision' })).body.results.map((r: any) => r.id)).toEqual(['2503.00003']);
      const fallback = await api({ q: 'protein mamba' });
      expect(fallback.body.total).toBe(2);
      expect(fallback.body.matched).toBe('any');
      expect(fallback.body.notes.join(' ')).toMatch(/any of them/);
    });

    it('applies phrases, exclusions, fields, categories and dates', async () => {
      const ids = async (q: string, extra: Record<string, string> = {}) => (await api({ q, ...extra })).body.results.map((r: any) => r.id).sort();
      expect(await ids('"state space"')).toEqual(['2502.00002']);
      expect(await ids('"space state"')).toEqual([]);
      expect(await ids('attention -survey')).toEqual(['2501.00001', '2502.00002']);
      expect(await ids('attention -"image generation"')).toEqual(['2501.00001', '2502.00002']);
      expect(await ids('au:hinton')).toEqual(['2504.00004']);
      expect(await ids('author:"albert gu"')).toEqual(['2502.00002']);
      expect(await ids('ti:attention')).toEqual(['2501.00001', '2503.00003']);
      expect(await ids('attention cat:cs.cl')).toEqual(['2501.00001']);
      expect(await ids('attention', { category: 'cs.CV' })).toEqual(['2503.00003']);
      expect(await ids('attention since:2025-02-01 until:2025-02-28')).toEqual(['2502.00002']);
      expect(await ids('attention', { has_code: 'true' })).toEqual(['2502.00002']);
      expect(await ids('', { category: 'q-bio.BM' })).toEqual(['2504.00004']);
    });

    it('sorts by newest and by upvotes, and pages', async () => {
      expect((await api({ q: 'attention', sort: 'newest' })).body.results.map((r: any) => r.id)).toEqual(['2503.00003', '2502.00002', '2501.00001']);
      expect((await api({ q: 'attention', sort: 'upvotes' })).body.results[0].id).toBe('2502.00002');
      const page2 = await api({ q: 'attention', sort: 'newest', limit: '1', offset: '1' });
      expect(page2.body.results.map((r: any) => r.id)).toEqual(['2502.00002']);
      expect(page2.body.total).toBe(3);
    });

    it('sorts most upvoted by local votes plus imported ones; a suspended user\'s votes do not count', async () => {
      const now = new Date('2025-05-01T00:00:00Z');
      const vote = async (arxivId: string, voters: string[]) => {
        const paper = (await findPaperByArxivId(store.db, arxivId))!;
        for (const email of voters) await setVote(store.db, (await ensureUser(store.db, email, now)).id, paper.id, true, now);
      };
      // 2503.00003 has no imported upvotes; six readers vote for it: 6 beats 2501.00001's 5 from HF.
      await vote('2503.00003', ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `${n}@votes.example`));
      // Two votes for 2501.00001 would make it 7, but their voter is suspended afterwards.
      await vote('2501.00001', ['spam1@votes.example', 'spam2@votes.example']);
      for (const email of ['spam1@votes.example', 'spam2@votes.example']) {
        await setUserSuspended(store.db, { id: null, label: 'test' }, (await ensureUser(store.db, email, now)), true, 'spam', now);
      }
      const order = async (query: Record<string, string>) => (await api({ ...query, sort: 'upvotes' })).body.results.map((r: any) => r.id);
      expect(await order({ q: 'attention' })).toEqual(['2502.00002', '2503.00003', '2501.00001']);
      // A query of filters only lists every paper: the same order, without the FTS engine.
      expect(await order({ q: 'since:2025-01-01' })).toEqual(['2502.00002', '2503.00003', '2501.00001', '2504.00004']);
      // The count that ranks is the one the API reports for the paper.
      const shown = await fetch(`${app.url}/api/papers/2503.00003`).then((r) => r.json() as Promise<any>);
      expect(shown.upvotes).toEqual({ local: 6, hf: 0, total: 6 });
      // Search answers count the same way: the suspended voters' two votes are not in 2501.00001's.
      const listed = (await api({ q: 'attention', sort: 'upvotes' })).body.results;
      expect(listed.find((r: any) => r.id === '2501.00001').upvotes).toEqual({ local: 0, hf: 5, total: 5 });
      expect(listed.find((r: any) => r.id === '2503.00003').upvotes).toEqual({ local: 6, hf: 0, total: 6 });
      // The search page's cards, like the listings', show the local count beside the imported one,
      // so the order can be read off.
      const page = await fetch(`${app.url}/search?q=attention&sort=upvotes`).then((r) => r.text());
      expect(page).toMatch(/data-vote="2503\.00003"[\s\S]*class="vote-count">6<[\s\S]*data-vote="2501\.00001"[\s\S]*<strong>5<\/strong><span class="label">HF ▲/);
    });

    it('answers a pasted arXiv URL with that paper', async () => {
      const { body } = await api({ q: 'https://arxiv.org/abs/2504.00004v2' });
      expect(body.paper).toBe('2504.00004');
      expect(body.results.map((r: any) => r.id)).toEqual(['2504.00004']);
    });

    it('answers 400 naming the bad parameter', async () => {
      for (const [params, name] of [[{ q: 'x', limit: '0' }, 'limit'], [{ q: 'x', limit: 'abc' }, 'limit'], [{ q: 'x', offset: '-1' }, 'offset'], [{ q: 'x', sort: 'best' }, 'sort'], [{ q: 'x', since: 'soon' }, 'since'], [{ q: 'x', category: '<b>' }, 'category'], [{ q: 'x', has_code: 'maybe' }, 'has_code'], [{}, 'q']] as const) {
        const { status, body } = await api(params as Record<string, string>);
        expect(status, JSON.stringify(params)).toBe(400);
        expect(body.error.code).toBe('bad_parameter');
        expect(body.error.message.startsWith(`${name}:`)).toBe(true);
      }
    });

    it('follows paper changes made through upsertPapers', async () => {
      await store.db.transaction().execute((tx) => upsertPapers(tx, [{ arxivId: '2504.00004', title: 'Protein design with diffusion', abstract: 'Diffusion models design proteins.', authors: ['Geoffrey Hinton'], categories: ['q-bio.BM'], announcedOn: '2025-04-10' }]));
      expect((await api({ q: 'diffusion proteins' })).body.results.map((r: any) => r.id)).toEqual(['2504.00004']);
      expect((await api({ q: 'folding' })).body.total).toBe(0);
    });
  });

  describe('hostile queries', () => {
    const hostile = [
      '"unbalanced quote', '"', '-', '--', 'au:', 'ti:""', 'cat:', 'since:', '-"', 'AND', 'OR NOT', 'NEAR(a b, 2)', '*', 'a*', '^title',
      'title:*', '{title}: x', '"a" OR "b" NOT', "' OR 1=1 --", 'x"; DROP TABLE paper; --', '%00', '\u0000', '🚀🔥 attention 🤖',
      '$\\mathcal{O}(n^2)$ \\frac{a}{b}', 'x'.repeat(10_000), 'attention '.repeat(1000), '( ( ( (', ')))', 'cat:cs.CL cat:cs.LG -cat:x', '∑∫∂ αβγ', 'null', 'undefined',
    ];
    it('are always answered by the API, never with a 500', async () => {
      for (const q of hostile) {
        const { status, body } = await api({ q });
        expect(status, q.slice(0, 40)).toBe(200);
        expect(Array.isArray(body.results)).toBe(true);
        expect(typeof body.total).toBe('number');
      }
    });
    it('are always answered by the page, escaped', async () => {
      for (const q of [...hostile, '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>']) {
        const res = await fetch(`${app.url}/search?${new URLSearchParams({ q })}`);
        // A control character is refused before search, naming the field, as on every page.
        expect(res.status, q.slice(0, 40)).toBe(q.includes('\u0000') ? 400 : 200);
        const text = await res.text();
        if (res.status === 400) expect(text).toContain('q: contains a control character');
        expect(text).not.toContain('<script>alert');
        expect(text).not.toContain('<img src=x');
      }
    });
  });

  describe('/search page', () => {
    it('shows results with highlighted snippets, count and sort links', async () => {
      const text = await (await fetch(`${app.url}/search?q=attention`)).text();
      expect(text).toContain('of 3 papers');
      expect(text).toContain('<mark>Attention</mark> is all you need');
      expect(text).toContain('sort=newest');
    });
    it('shows listing cards: TeX rendered with the words marked, votes, saves and comments', async () => {
      const tex = await createPaper(store, {
        arxivId: '2505.00005', title: 'Sorting in $\\mathcal{O}(n \\log n)$ comparisons', authors: ['Ada Lovelace'], categories: ['cs.DS'], announcedOn: '2025-05-10',
        abstract: `${'Background words here. '.repeat(12)}We sort $n$ keys with $\\frac{n}{2}$ comparators, then sort the rest. ${'Closing words. '.repeat(20)}`,
      });
      const paper = (await findPaperByArxivId(store.db, tex.arxivId))!;
      const reader = await ensureUser(store.db, 'reader@cards.example', new Date('2025-06-01T00:00:00Z'));
      const deps = { db: store.db, secret: 'test-secret-0123456789', config: { editWindowMinutes: 30, limitPerHour: 5, holdFirst: 0 } };
      for (const body of ['first', 'second']) expect(await postComment(deps, reader, paper.id, { body, ip: '10.0.0.1' }, new Date('2025-06-01T00:00:00Z'))).toMatchObject({ ok: true });
      const page = await (await fetch(`${app.url}/search?q=sorting`)).text();
      const card = page.slice(page.indexOf('<article class="card">'), page.indexOf('</article>'));
      // The title as on listings: maths as MathML (the TeX source kept as its annotation), the word marked.
      expect(card).toContain('<mark>Sorting</mark> in <math');
      expect(card).not.toMatch(/>[^<]*\$\\mathcal/);
      // The snippet's maths is whole and rendered, its words marked.
      const snippet = card.slice(card.indexOf('<p class="snippet">'));
      expect(snippet).toContain('<mark>sort</mark>');
      expect(snippet).toContain('<annotation encoding="application/x-tex">\\frac{n}{2}</annotation>');
      expect(snippet.slice(0, snippet.indexOf('</p>'))).not.toContain('$');
      // The vote control, the save control and the comment count of the listing cards.
      expect(card).toContain('data-vote="2505.00005"');
      expect(card).toContain('data-save="2505.00005"');
      expect(card).toContain('2 comments</a>');
      // Hostile TeX in a result stays text, as on listings.
      await createPaper(store, { arxivId: '2505.00006', title: 'Hostile $<img src=x onerror=alert(1)>$ sorting', abstract: 'Sorting $\\href{javascript:alert(2)}{click}$ and <script>alert(3)</script>.', categories: ['cs.CR'], announcedOn: '2025-05-11' });
      const hostile = await (await fetch(`${app.url}/search?q=hostile+sorting`)).text();
      expect(hostile).toContain('2505.00006');
      expect(hostile).not.toMatch(/<img src=x|<script>alert|href="javascript/);
      // The API's snippet stays escaped text.
      const { body } = await api({ q: 'sorting' });
      expect(body.results.find((r: any) => r.id === '2505.00005').snippet).toContain('$\\frac{n}{2}$');
    });
    it('redirects a pasted arXiv id to the paper page', async () => {
      const res = await fetch(`${app.url}/search?q=arXiv:2501.00001`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/papers/2501.00001');
    });
    it('shows suggestions when nothing matches', async () => {
      const text = await (await fetch(`${app.url}/search?q=zzzqqq&category=cs.CV`)).text();
      expect(text).toContain('No papers found');
      expect(text).toContain('without filters');
    });
    it('names a bad parameter on an HTML error page', async () => {
      const res = await fetch(`${app.url}/search?q=x&sort=bogus`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('sort');
    });
    it('shows help for an empty query', async () => {
      const text = await (await fetch(`${app.url}/search`)).text();
      expect(text).toContain('au:name');
    });
  });
});
