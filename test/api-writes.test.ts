// Writes through the JSON API with a bearer token: votes, and the write rate limit. On each dialect.
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../src/accounts/index.ts';
import { findPaperByArxivId } from '../src/papers/index.ts';
import { ensureUser } from '../src/accounts/index.ts';
import { setPaperHidden, setVotesLocked } from '../src/community/index.ts';
import { createPaper, createTestStore, startTestApp, testDialects } from './helpers.ts';
import { OpenApiChecker } from './openapi-check.ts';


describe.each(testDialects())('voting with an API token on %s', (dialect) => {
  it('upvotes and takes back idempotently, follows the curators, and answers in the documented shapes', async () => {
    const store = await createTestStore(dialect);
    const t = await startTestApp(store);
    try {
      await createPaper(store, { arxivId: '2606.00201', title: 'Votable' });
      await createPaper(store, { arxivId: 'hep-th/9901002', title: 'Old style votable' });
      const user = await ensureUser(store.db, 'voter@example.org', new Date());
      const { token } = await createApiToken(store.db, user.id, 'extension');
      const api = new OpenApiChecker((await (await fetch(`${t.url}/api/openapi.json`)).json()) as Record<string, any>);
      const vote = async (method: 'PUT' | 'DELETE', id: string, auth = `Bearer ${token}`) => {
        const res = await fetch(`${t.url}/api/papers/${id}/vote`, { method, headers: { authorization: auth } });
        return { status: res.status, body: (await api.check(method, `${t.url}/api/papers/${id}/vote`, res)) as any };
      };
      expect(await vote('PUT', '2606.00201')).toEqual({ status: 200, body: { paper: '2606.00201', voted: true, votes: 1 } });
      expect(await vote('PUT', 'arXiv:2606.00201v1')).toEqual({ status: 200, body: { paper: '2606.00201', voted: true, votes: 1 } });
      expect((await vote('PUT', 'hep-th%2F9901002')).body).toEqual({ paper: 'hep-th/9901002', voted: true, votes: 1 });
      // Search answers count the votes cast here too (read per answer: a vote does not change a search).
      const searchUrl = `${t.url}/api/papers/search?q=old%20style%20votable`;
      const found = (await api.check('GET', searchUrl, await fetch(searchUrl))) as any;
      expect(found.results.find((r: any) => r.id === 'hep-th/9901002').upvotes).toEqual({ local: 1, hf: 0, total: 1 });
      const rows = await store.db.selectFrom('vote').select(['user_id']).execute();
      expect(rows.map((r) => r.user_id)).toEqual([user.id, user.id]);
      expect(await vote('DELETE', '2606.00201')).toEqual({ status: 200, body: { paper: '2606.00201', voted: false, votes: 0 } });
      expect((await vote('DELETE', '2606.00201')).body.votes).toBe(0);

      expect((await vote('PUT', '2606.00201', 'Bearer pb_' + 'x'.repeat(43))).status).toBe(401);
      expect((await vote('PUT', '2606.99999')).body.error.message).toBe('no paper 2606.99999');
      expect((await vote('PUT', 'not-an-id')).status).toBe(404);
      const paper = (await findPaperByArxivId(store.db, '2606.00201'))!;
      const curator = { id: null, label: 'test curator' };
      await setVotesLocked(store.db, curator, { id: paper.id, arxivId: paper.arxivId }, true, 'brigading', new Date());
      expect(await vote('PUT', '2606.00201')).toMatchObject({ status: 403, body: { error: { code: 'votes_locked' } } });
      await setPaperHidden(store.db, curator, { id: paper.id, arxivId: paper.arxivId }, true, 'spam', new Date());
      expect((await vote('PUT', '2606.00201')).status).toBe(404);
    } finally {
      await t.close();
      await store.cleanup();
    }
  });
});

describe.each(testDialects())('API write rate limit on %s', (dialect) => {
  it('answers 429 in the error shape once a token spends its budget', async () => {
    const store = await createTestStore(dialect, { API_WRITE_RATE_LIMIT: '3' });
    const t = await startTestApp(store);
    try {
      const { token } = await createApiToken(store.db, 1, 'busy');
      const other = await createApiToken(store.db, 2, 'calm');
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${t.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(((await res.json()) as any).error.code).toBe('rate_limited');
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        } else await res.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      // Budgets are per token: another token is unaffected.
      expect((await fetch(`${t.url}/api/me`, { headers: { authorization: `Bearer ${other.token}` } })).status).toBe(200);
      // Reads are not limited.
      for (let i = 0; i < 5; i++) expect((await fetch(`${t.url}/api/daily_papers`)).status).toBe(200);
    } finally {
      await t.close();
      await store.cleanup();
    }
  });
});
