// Opens the store: SQLite (better-sqlite3, WAL) by default, PostgreSQL when DATABASE_URL says so.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, PostgresDialect, type Transaction } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from './schema.ts';
import { WriteCounter } from './write-count.ts';
import { budgetFor } from '../lib/memory-budget.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface Store {
  db: Db;
  close(): Promise<void>;
}

const writeCounters = new WeakMap<Db, WriteCounter>();

/** How many writes this process has finished through `db` (0 for a Kysely instance not opened here). */
export function writesThrough(db: Db): number {
  return writeCounters.get(db)?.count ?? 0;
}

export async function openStore(config: Pick<Config, 'databaseUrl' | 'dialect' | 'sqlitePath'>): Promise<Store> {
  if (config.dialect === 'postgres') {
    const { createPostgresPool } = await import('./postgres.ts');
    const pool = createPostgresPool(config.databaseUrl);
    const writes = new WriteCounter();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [writes] });
    writeCounters.set(db, writes);
    return { db, close: () => db.destroy() };
  }
  const path = config.sqlitePath!;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  setPageCache(sqlite);
  const writes = new WriteCounter();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), plugins: [writes] });
  writeCounters.set(db, writes);
  return { db, close: () => db.destroy() };
}

/**
 * A second, read-only connection to a SQLite store another connection keeps in WAL mode: it reads
 * the last committed state while the writer goes on (search threads use one each).
 */
export function openReadOnlySqlite(path: string): Store {
  const sqlite = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  setPageCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, close: () => db.destroy() };
}

/** SQLite's page cache takes its share of the memory budget (a negative cache_size is in KiB). */
function setPageCache(sqlite: SqliteDatabase.Database): void {
  sqlite.pragma(`cache_size = -${Math.max(2048, Math.floor(budgetFor('sqlite pages') / 1024))}`);
}

/** Prepared statements kept per SQL text: preparing costs as much as running a small query. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 as Kysely's driver sees it, with prepare() reusing statements: Kysely prepares every
 * query anew, about 0.4 ms a paper page. A statement still being iterated (a streamed query) is busy,
 * so the same SQL meanwhile gets a fresh statement.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): { prepare(sql: string): SqliteDatabase.Statement; close(): void } {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql) {
      // Kysely opens every transaction with a plain (deferred) BEGIN. A deferred transaction that
      // reads and then writes cannot wait for another process's write lock (SQLite answers "database
      // is locked" at once rather than risk a deadlock), so a CLI import next to a running server
      // failed. Our transactions are there to write: take the write lock up front, where
      // busy_timeout applies.
      if (sql === 'begin') sql = 'begin immediate';
      const cached = statements.get(sql);
      if (cached && !cached.busy) return cached;
      const stmt = sqlite.prepare(sql);
      if (!cached) {
        statements.set(sql, stmt);
        if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      return stmt;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}
