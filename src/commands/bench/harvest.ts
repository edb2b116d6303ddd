// `paperboy bench harvest FILE`: harvest throughput against a loopback OAI-PMH server (see src/harvest/bench.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchHarvest } from '../../harvest/bench.ts';
import { openStore } from '../../store/db.ts';
import { migrateToLatest } from '../../store/migrate.ts';
import type { Mode } from '../command.ts';

export const mode: Mode = {
  help: `
Usage: paperboy bench harvest FILE [--limit N] [--use-configured-db]

Serves the papers in FILE (arXiv listing JSONL, plain or .gz) as OAI-PMH ListRecords pages of
1,000 records on 127.0.0.1 and harvests them twice with ARXIV_MIN_INTERVAL_MS=0: into an empty
store, then again (every record unchanged). Prints records/s and peak RSS for each pass.
  --limit N              papers to use (default 20000)
  --use-configured-db    harvest into DATABASE_URL instead of a fresh temporary SQLite file
`,
  options: { limit: { type: 'string' }, 'use-configured-db': { type: 'boolean' } },
  async run(ctx, { values, positionals }) {
    const file = positionals[0];
    const limit = Number(values.limit ?? 20_000);
    if (!file || !Number.isInteger(limit) || limit < 1) {
      process.stderr.write('paperboy bench harvest: give a JSONL FILE and a positive --limit. Run "paperboy bench harvest --help".\n');
      return 2;
    }
    const dir = values['use-configured-db'] ? undefined : mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
    const config = dir ? { ...ctx.config, dialect: 'sqlite' as const, databaseUrl: `sqlite:${join(dir, 'bench.db')}`, sqlitePath: join(dir, 'bench.db') } : ctx.config;
    const store = await openStore(config);
    try {
      await migrateToLatest(store.db);
      for (const r of await benchHarvest(store.db, config, ctx.log, file, limit)) {
        process.stdout.write(
          `bench harvest ${config.dialect} ${r.label}: ${r.records} records in ${r.pages} pages, ${r.seconds.toFixed(2)} s, ` +
            `${Math.round(r.perSecond).toLocaleString('en-US')} records/s, new ${r.new}, unchanged ${r.unchanged}, peak RSS ${Math.round(r.peakRssMb)} MB\n`,
        );
      }
      return 0;
    } finally {
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  },
};
