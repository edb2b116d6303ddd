// `paperboy migrate-data --from URL --to URL`: moves an instance between SQLite and PostgreSQL.
import { parseDatabaseUrl } from '../config.ts';
import { maskUrl } from '../config-values.ts';
import { createProgress } from '../lib/progress.ts';
import { openStore, type Store } from '../store/db.ts';
import { listMigrations, migrateToLatest } from '../store/migrate.ts';
import { compareDatabases, copyDatabase, TransferError, type TableComparison } from '../store/transfer.ts';
import type { Command } from './command.ts';

export const command: Command = {
  name: 'migrate-data',
  summary: 'Copy every table between SQLite and PostgreSQL, then compare row counts and checksums',
  help: `
Usage: paperboy migrate-data --from URL --to URL [--force] [--compare-only]

Moves an instance from one database to another, e.g. from SQLite to PostgreSQL:

  paperboy migrate-data --from sqlite:./data/paperboy.db --to postgres://paperboy@db/paperboy

Stop the paperboy processes first. The target is migrated to the current schema, then every table
is copied in foreign-key order, in batches, inside one transaction (a failed copy leaves the
target as it was); PostgreSQL sequences are moved past the copied ids. Afterwards each table's row
count and an order-independent checksum of its rows are compared on both sides and printed.
The job queue (pg-boss) is not copied: scheduled work is enqueued again by the workers.

  --from URL       source: sqlite:PATH or postgres://…; must be fully migrated
  --to URL         target: sqlite:PATH or postgres://…
  --force          replace the contents of a target that already has rows (refused otherwise)
  --compare-only   copy nothing; only compare the two databases

Exit status: 0 when every table matches, 1 when a table differs or the copy failed, 2 on usage errors.
`,
  options: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean' }, 'compare-only': { type: 'boolean' } },
  async run(ctx, { values }) {
    const fromUrl = values.from as string | undefined;
    const toUrl = values.to as string | undefined;
    if (!fromUrl || !toUrl) {
      process.stderr.write('paperboy migrate-data: give both --from URL and --to URL. Run "paperboy migrate-data --help" for usage.\n');
      return 2;
    }
    const from = parseDatabaseUrl(fromUrl);
    const to = parseDatabaseUrl(toUrl);
    for (const [flag, parsed] of [['--from', from], ['--to', to]] as const) {
      if ('problem' in parsed) {
        process.stderr.write(`paperboy migrate-data: ${flag}: ${parsed.problem}\n`);
        return 2;
      }
    }
    if (fromUrl === toUrl) {
      process.stderr.write('paperboy migrate-data: --from and --to name the same database\n');
      return 2;
    }
    const source = await openStore({ databaseUrl: fromUrl, ...(from as Exclude<typeof from, { problem: string }>) });
    let target: Store | undefined;
    try {
      const pending = (await listMigrations(source.db)).filter((m) => !m.executedAt).map((m) => m.name);
      if (pending.length > 0) {
        process.stderr.write(`paperboy migrate-data: the source is not fully migrated (pending: ${pending.join(', ')}); run "DATABASE_URL=${maskUrl(fromUrl)} paperboy migrate" first\n`);
        return 1;
      }
      target = await openStore({ databaseUrl: toUrl, ...(to as Exclude<typeof to, { problem: string }>) });
      await migrateToLatest(target.db);
      if (!values['compare-only']) {
        process.stdout.write(`copying ${maskUrl(fromUrl)} → ${maskUrl(toUrl)}\n`);
        const progress = createProgress('copying rows');
        const started = Date.now();
        try {
          const r = await copyDatabase(source, target, { force: values.force === true, onProgress: (d, t) => progress.update(d, t) });
          progress.done();
          const secs = (Date.now() - started) / 1000;
          process.stdout.write(`copied ${r.rows.toLocaleString('en-US')} rows in ${r.tables.length} tables in ${secs.toFixed(1)}s (${Math.round(r.rows / Math.max(secs, 0.001)).toLocaleString('en-US')} rows/s)\n`);
          ctx.log.info('data_migrated', { tables: r.tables.length, rows: r.rows, duration_ms: Date.now() - started });
        } catch (err) {
          progress.done();
          if (err instanceof TransferError) {
            process.stderr.write(`paperboy migrate-data: ${err.message}\n`);
            return 1;
          }
          throw err;
        }
      }
      const comparison = await compareDatabases(source, target);
      printComparison(comparison);
      return comparison.every((c) => c.ok) ? 0 : 1;
    } finally {
      await target?.close();
      await source.close();
    }
  },
};

function printComparison(rows: TableComparison[]): void {
  const w = Math.max(5, ...rows.map((r) => r.table.length));
  const line = (cols: string[]) => process.stdout.write(`${cols[0]!.padEnd(w)}  ${cols[1]!.padStart(11)}  ${cols[2]!.padStart(11)}  ${cols[3]!.padEnd(16)}  ${cols[4]!.padEnd(16)}  ${cols[5]}\n`);
  line(['table', 'source rows', 'target rows', 'source checksum', 'target checksum', '']);
  for (const r of rows) line([r.table, String(r.sourceRows), String(r.targetRows), r.sourceChecksum.slice(0, 16), r.targetChecksum.slice(0, 16), r.ok ? 'ok' : 'MISMATCH']);
  const bad = rows.filter((r) => !r.ok).length;
  process.stdout.write(bad === 0 ? `all ${rows.length} tables match\n` : `${bad} of ${rows.length} tables differ\n`);
}
