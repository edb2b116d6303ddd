// Several processes starting at once on an empty database (web processes, a worker and a one-shot
// `paperboy migrate`, as compose.yaml starts them) must apply each migration exactly once.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/store/db.ts';
import { listMigrations } from '../src/store/migrate.ts';
import { createPostgresDatabase } from './dialects.ts';
import { tempDir, testDialects } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');
const RUNNERS = 4;
const run = promisify(execFile);

describe.each(testDialects())('concurrent migrations on %s', (dialect) => {
  it('four `paperboy migrate` processes on an empty database: all succeed, each migration applied once', async () => {
    const { dir, cleanup } = tempDir();
    const pg = dialect === 'postgres' ? await createPostgresDatabase({ migrated: false }) : undefined;
    const databaseUrl = pg?.url ?? `sqlite:${join(dir, 'fresh.db')}`;
    try {
      const env = { PATH: process.env.PATH!, DATABASE_URL: databaseUrl, DATA_DIR: dir, LOG_LEVEL: 'warn' };
      const outputs = await Promise.all(Array.from({ length: RUNNERS }, () => run(process.execPath, [BIN, 'migrate'], { env }).then((r) => r.stdout)));
      const store = await openStore(loadConfig(env));
      try {
        const migrations = await listMigrations(store.db);
        expect(migrations.length).toBeGreaterThan(5);
        expect(migrations.filter((m) => m.executedAt === undefined)).toEqual([]);
        // Every migration was applied by exactly one of the runners; the others found it done.
        const applied = outputs.flatMap((o) => /applied \d+ migration\(s\): (.*)/.exec(o)?.[1]?.split(', ') ?? []);
        expect(applied.sort()).toEqual(migrations.map((m) => m.name).sort());
      } finally {
        await store.close();
      }
    } finally {
      await pg?.drop();
      cleanup();
    }
  });
});
