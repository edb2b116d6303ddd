// The PostgreSQL side of the store, in one place: the connection pool and how values come back.
// node-postgres returns int8 (count(*), sum of integers) and numeric (avg) as strings to avoid
// precision loss; paperboy's numbers are far below 2^53, so they come back as JS numbers here, the
// same as from SQLite. Other differences modules must mind are listed in the README
// ("Running on PostgreSQL and scaling out").
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PostgresPoolOptions {
  max?: number;
  applicationName?: string;
}

export function createPostgresPool(url: string, opts: PostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types,
    application_name: opts.applicationName ?? 'paperboy',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool
  // replaces it and the next query reports the problem if it persists.
  pool.on('error', () => undefined);
  // Queued ahead of the client's first query, so it costs no round trip of its own.
  pool.on('connect', (client) => void client.query(CACHED_PAGE_COST).catch(() => undefined));
  return pool;
}

/**
 * PostgreSQL's default random_page_cost (4) prices a page read at random as four read in order, as
 * on a spinning disk. A paperboy store is read from memory or SSD, where the two cost about the same,
 * and the default made the planner read all of paper_search, matching every document (~2 µs each),
 * rather than visit the matches of a word in a fifth of the papers: 200 ms against 60 for counting
 * "dataset" in cs.CL among 74,728 papers. 1.1 is the value commonly recommended for SSDs. Only a
 * server still at the default is changed: a value an operator chose (postgresql.conf, ALTER DATABASE
 * or ROLE) stays.
 */
const CACHED_PAGE_COST = `SELECT set_config('random_page_cost', '1.1', false) WHERE current_setting('random_page_cost') = '4'`;

/** A single client with the same value parsing, for LISTEN and administrative statements. */
export function createPostgresClient(url: string): pg.Client {
  return new pg.Client({ connectionString: url, types, application_name: 'paperboy' });
}

/** Quotes an identifier for PostgreSQL: "name" with embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Runs fn while holding a session advisory lock named `key`, so concurrent processes take turns. */
export async function withAdvisoryLock<T>(url: string, key: string, fn: () => Promise<T>): Promise<T> {
  const client = createPostgresClient(url);
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [key]);
    return await fn();
  } finally {
    await client.end();
  }
}

/**
 * After a bulk write, refreshes PostgreSQL's planner and full-text statistics at once instead of
 * waiting for autovacuum (keyword search reads common words' frequencies from them). No-op on SQLite.
 */
export async function refreshStatistics(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`ANALYZE paper, paper_search, paper_search_title, paper_category`.execute(db);
}
