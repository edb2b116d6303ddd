// One hash for every token the store keeps (SHA-256, hex), and confirmation links mailed while digest
// tokens were hashed to base64url still confirm once the migration has rewritten them.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApiToken, createLoginToken, hashToken } from '../src/accounts/index.ts';
import { confirmSubscription, NO_TOPICS, requestSubscription } from '../src/digest/index.ts';
import { up as rewriteConfirmHashes } from '../src/store/migrations/0690-digest-confirm-hash-hex.ts';
import { createTestStore, testDialects } from './helpers.ts';

describe.each(testDialects())('stored token hashes on %s', (dialect) => {
  it('are hex SHA-256 for sign-in links, API tokens and digest confirmations', async () => {
    const store = await createTestStore(dialect);
    try {
      const now = new Date('2026-07-01T12:00:00Z');
      const login = await createLoginToken(store.db, 'reader@example.org', {}, now);
      const api = await createApiToken(store.db, 1, 'script', now);
      const sub = await requestSubscription(store.db, 'reader@example.org', { frequency: 'daily', topics: NO_TOPICS, minUpvotes: 0 }, now);
      expect(sub.mail).toBe(true);
      const stored = [
        ...(await store.db.selectFrom('login_token').select('token_hash').execute()).map((r) => r.token_hash),
        ...(await store.db.selectFrom('api_token').select('token_hash').execute()).map((r) => r.token_hash),
        ...(await store.db.selectFrom('subscription').select('confirm_token_hash').execute()).map((r) => r.confirm_token_hash),
      ];
      expect(stored).toEqual([hashToken(login), hashToken(api.token), hashToken((sub as { token: string }).token)]);
      for (const h of stored) expect(h).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await store.cleanup();
    }
  });

  it('keep an old base64url confirmation link working after the migration', async () => {
    const store = await createTestStore(dialect);
    try {
      const now = new Date('2026-07-01T12:00:00Z');
      const sub = await requestSubscription(store.db, 'old@example.org', { frequency: 'weekly', topics: NO_TOPICS, minUpvotes: 0 }, now);
      const token = (sub as { token: string }).token;
      const old = createHash('sha256').update(token).digest('base64url');
      await store.db.updateTable('subscription').set({ confirm_token_hash: old }).execute();
      expect(await confirmSubscription(store.db, token, now)).toBeUndefined();
      await rewriteConfirmHashes(store.db);
      expect((await confirmSubscription(store.db, token, now))?.email).toBe('old@example.org');
    } finally {
      await store.cleanup();
    }
  });
});
