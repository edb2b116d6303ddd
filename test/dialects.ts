// Which databases the suites run on, and a fresh database per test store. Use as
//   describe.each(testDialects())('votes on %s', (dialect) => { … createTestStore(dialect) … })
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Dialect } from '../src/config.ts';
import { createPostgresClient, quoteIdent } from '../src/store/postgres.ts';

/** The dialects of this run: TEST_DIALECTS, or both when PostgreSQL is available. */
export function testDialects(): Dialect[] {
  return inject('testDialects');
}

/**
 * A fresh PostgreSQL database on the test cluster, with every migration applied (a copy of the
 * run's template) unless `migrated: false`; drop() removes it, closing stragglers.
 */
export async function createPostgresDatabase(opts: { migrated?: boolean } = {}): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  if (!adminUrl) throw new Error('no PostgreSQL in this test run (TEST_DIALECTS excludes it or initdb is missing)');
  const name = `paperboy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = opts.migrated === false ? 'template1' : inject('postgresTemplate');
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)} STRATEGY = FILE_COPY`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(adminUrl: string, fn: (c: ReturnType<typeof createPostgresClient>) => Promise<T>): Promise<T> {
  const client = createPostgresClient(adminUrl);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
