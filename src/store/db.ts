// Opens the store: SQLite (better-sqlite3, WAL) by default, PostgreSQL when DATABASE_URL says so.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, PostgresDialect, type Transaction } from 'kysely';
import type { Config, Dialect } from '../config.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface Store {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

export async function openStore(config: Pick<Config, 'databaseUrl' | 'dialect' | 'sqlitePath'>): Promise<Store> {
  if (config.dialect === 'postgres') {
    const { createPostgresPool } = await import('./postgres.ts');
    const pool = createPostgresPool(config.databaseUrl);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const path = config.sqlitePath!;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** Which dialect a Kysely instance speaks; for the few places that differ. */
export function dialectOf(db: Kysely<any>): Dialect {
  const adapter = db.getExecutor().adapter.constructor.name;
  return adapter.startsWith('Postgres') ? 'postgres' : 'sqlite';
}

export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}
