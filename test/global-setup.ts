// Runs once per vitest run: decides which dialects the suites cover and, for PostgreSQL, starts a
// throwaway cluster (or uses TEST_POSTGRES_URL, a superuser URL of an existing server).
// TEST_DIALECTS=sqlite,postgres picks; by default both when initdb exists, else SQLite only.
import type { TestProject } from 'vitest/node';
import { findPostgresBin, startThrowawayCluster } from '../src/bench/throwaway-cluster.ts';
import type { Dialect } from '../src/config.ts';
import { openStore } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { createPostgresClient } from '../src/store/postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDialects: Dialect[];
    /** Superuser URL of the test cluster's `postgres` database; '' without PostgreSQL. */
    postgresAdminUrl: string;
    /** A database with every migration applied, copied for each test store ('' when none). */
    postgresTemplate: string;
  }
}

function requestedDialects(raw: string | undefined): Dialect[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((d) => d !== 'sqlite' && d !== 'postgres');
  if (bad.length > 0 || list.length === 0) throw new Error(`TEST_DIALECTS: expected sqlite, postgres or both (comma-separated), got "${raw}"`);
  return [...new Set(list)] as Dialect[];
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const requested = requestedDialects(process.env.TEST_DIALECTS);
  const existingUrl = process.env.TEST_POSTGRES_URL;
  const binDir = findPostgresBin();
  let dialects: Dialect[] = requested ?? (binDir || existingUrl ? ['sqlite', 'postgres'] : ['sqlite']);
  if (!requested && dialects.length === 1) {
    process.stdout.write('\n' + '!'.repeat(78) + '\n!! PostgreSQL suite SKIPPED: initdb not found (install the postgresql package, or set TEST_POSTGRES_URL)\n' + '!'.repeat(78) + '\n\n');
  }
  let adminUrl = '';
  let stop: (() => Promise<void>) | undefined;
  if (dialects.includes('postgres')) {
    if (existingUrl) {
      adminUrl = existingUrl;
    } else {
      if (!binDir) throw new Error('TEST_DIALECTS asks for postgres but initdb was not found; install the postgresql package or set TEST_POSTGRES_URL');
      const cluster = await startThrowawayCluster(binDir, { ownerPid: process.pid });
      adminUrl = cluster.url;
      stop = cluster.stop;
      process.stdout.write(`PostgreSQL test cluster on 127.0.0.1:${cluster.port} (${cluster.dir})\n`);
    }
  }
  dialects = dialects.filter((d) => d !== 'postgres' || adminUrl !== '');
  project.provide('testDialects', dialects);
  project.provide('postgresAdminUrl', adminUrl);
  project.provide('postgresTemplate', adminUrl ? await createMigratedTemplate(adminUrl) : '');
  return stop;
}

/**
 * Migrating a PostgreSQL database takes a few hundred milliseconds; copying a migrated template
 * takes tens. A fresh name per run, so a stale template from an older schema is never reused.
 */
async function createMigratedTemplate(adminUrl: string): Promise<string> {
  const name = `paperboy_template_${process.pid}_${Date.now()}`;
  const admin = createPostgresClient(adminUrl);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), dialect: 'postgres', sqlitePath: undefined });
  try {
    await migrateToLatest(store.db);
  } finally {
    await store.close();
  }
  return name;
}
