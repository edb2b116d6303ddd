// What callers need to know about SQLite and PostgreSQL differing: which one a handle speaks, and row
// locks. The other differences sit beside the queries they change: full-text search in
// search/keyword.sqlite.ts and search/keyword.postgres.ts, change notification in change-version.ts,
// table introspection in introspect.ts, and column types in the migrations.
import { PostgresAdapter, type Kysely } from 'kysely';
import type { Dialect } from '../config.ts';

/**
 * Which dialect a database handle or transaction speaks. `config.dialect` says which database to
 * open; once it is open, this is the one answer.
 */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * The select, locking the rows it reads until the transaction ends. On PostgreSQL that is FOR UPDATE:
 * concurrent writers of the same rows take turns, so each one sees what the other committed; with
 * `skipLocked`, rows another transaction holds are passed over instead of waited for (claiming work
 * from a queue). SQLite has no row locks and needs none: its transactions run one at a time.
 */
export function lockRows<Q extends { forUpdate(): Q; skipLocked(): Q }>(db: Kysely<any>, q: Q, opts: { skipLocked?: boolean } = {}): Q {
  if (dialectOf(db) !== 'postgres') return q;
  return opts.skipLocked ? q.forUpdate().skipLocked() : q.forUpdate();
}
