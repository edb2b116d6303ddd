// Versioned migrations, one history for both dialects. Each file in ./migrations exports up(db);
// files are applied in name order. Modules own number ranges (0001 papers, 01xx harvest,
// 02xx community, 03xx digest, 04xx api, 05xx search) so they can be added independently.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, sql, type Migration, type MigrationResultSet } from 'kysely';
import type { Db } from './db.ts';
import { dialectOf } from './dialect.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

async function loadMigrations(): Promise<Record<string, Migration>> {
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}-[\w-]+\.ts$/.test(f) && !f.endsWith('.test.ts')).sort();
  const out: Record<string, Migration> = {};
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(MIGRATIONS_DIR, file)).href)) as Migration;
    out[file.replace(/\.ts$/, '')] = mod;
  }
  return out;
}

export interface MigrateOutcome {
  applied: string[];
}

/**
 * Applies every pending migration; throws with the failing migration's name on error. Safe with
 * several processes starting at once: on PostgreSQL Kysely's migrator holds an advisory lock; on
 * SQLite, where it takes none, the whole run is one BEGIN IMMEDIATE transaction, so runners take
 * turns (a later one finds nothing pending) and a failed run leaves the schema as it was. A
 * migration therefore must not open its own transaction or depend on PRAGMAs (both no-ops or
 * errors inside one).
 */
export async function migrateToLatest(db: Db): Promise<MigrateOutcome> {
  const migrations = await loadMigrations();
  const migrate = async (conn: Db) => {
    const migrator = new Migrator({
      db: conn,
      provider: { getMigrations: async () => migrations },
      allowUnorderedMigrations: true,
    });
    const result: MigrationResultSet = await migrator.migrateToLatest();
    if (result.error) {
      const failed = result.results?.find((r) => r.status === 'Error');
      const err = result.error instanceof Error ? result.error : new Error(String(result.error));
      throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${err.message}`, { cause: err });
    }
    return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
  };
  return dialectOf(db) === 'sqlite' ? withSqliteWriteLock(db, migrate) : migrate(db);
}

/** Longest wait for another process's migrations on SQLite before giving up (SQLITE_BUSY). */
const SQLITE_MIGRATION_WAIT_MS = 10 * 60_000;

async function withSqliteWriteLock<T>(db: Db, fn: (conn: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn);
    const usual = rows[0]?.timeout ?? 0;
    await sql.raw(`pragma busy_timeout = ${SQLITE_MIGRATION_WAIT_MS}`).execute(conn);
    try {
      await sql`begin immediate`.execute(conn);
    } finally {
      await sql.raw(`pragma busy_timeout = ${Number(usual)}`).execute(conn);
    }
    try {
      const out = await fn(conn);
      await sql`commit`.execute(conn);
      return out;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}

export async function listMigrations(db: Db): Promise<Array<{ name: string; executedAt: Date | undefined }>> {
  const migrations = await loadMigrations();
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  return (await migrator.getMigrations()).map((m) => ({ name: m.name, executedAt: m.executedAt }));
}
