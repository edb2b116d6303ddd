import { openStore } from '../store/db.ts';
import { listMigrations, migrateToLatest } from '../store/migrate.ts';
import { maskUrl } from '../config-values.ts';
import type { Command } from './command.ts';

export const command: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations',
  help: `
Usage: paperboy migrate [--status]

Applies every pending migration to the database named by DATABASE_URL. "serve" does this on start too.
  --status   list migrations and when each was applied, change nothing
`,
  options: { status: { type: 'boolean' } },
  async run(ctx, { values }) {
    const store = await openStore(ctx.config);
    try {
      if (values.status) {
        for (const m of await listMigrations(store.db)) {
          process.stdout.write(`${m.executedAt ? m.executedAt.toISOString() : 'pending                 '}  ${m.name}\n`);
        }
        return 0;
      }
      const { applied } = await migrateToLatest(store.db);
      process.stdout.write(applied.length === 0 ? `${maskUrl(ctx.config.databaseUrl)} is up to date\n` : `applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
