// `paperboy backup`: a consistent copy of the SQLite database while paperboy keeps serving, through
// SQLite's online backup API (better-sqlite3's backup()). PostgreSQL has pg_dump for this.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { createProgress } from '../lib/progress.ts';
import type { Command } from './command.ts';

/** Pages copied per step: small enough for a smooth progress bar, large enough not to crawl. */
const PAGES_PER_STEP = 2048;
/** better-sqlite3's largest step: the whole database in one go. */
const ALL_PAGES = 0x7fffffff;

export const command: Command = {
  name: 'backup',
  summary: 'Copy the SQLite database to a file while paperboy runs (online, consistent)',
  help: `
Usage: paperboy backup --output FILE [--force] [--step PAGES]

Copies the SQLite database named by DATABASE_URL to FILE while "paperboy serve" keeps running
and writing. The copy is one consistent moment of the database, written under a temporary name,
checked with SQLite's quick_check and then renamed to FILE, so an interrupted backup never leaves
a file that looks complete. Restore by stopping paperboy and putting FILE in the database's place.

  --output FILE, -o FILE   where to write the copy (its folder must exist)
  --force                  replace FILE if it exists
  --step PAGES             pages copied per step (default ${PAGES_PER_STEP}, 8 MB of 4 KB pages)

Copying goes in steps with a progress bar on a terminal. When another process writes meanwhile,
SQLite starts the copy over, and the second pass copies everything in one step (readers never
block writers in WAL mode, so the server is not held up).

With PostgreSQL (DATABASE_URL=postgres://…) use pg_dump instead: see docs/deploy.md, "Backups".

Examples:
  paperboy backup --output /backups/paperboy-$(date +%F).db
  DATABASE_URL=sqlite:/var/lib/paperboy/paperboy.db paperboy backup -o copy.db --force
`,
  options: {
    output: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    step: { type: 'string' },
  },
  async run(ctx, { values, positionals }) {
    const output = values.output as string | undefined;
    const problems: string[] = [];
    if (ctx.config.dialect !== 'sqlite') problems.push('backs up SQLite only; for PostgreSQL use pg_dump (see docs/deploy.md, "Backups")');
    if (!output) problems.push('--output FILE is required');
    const step = values.step === undefined ? PAGES_PER_STEP : Number(values.step);
    if (!Number.isInteger(step) || step < 1) problems.push(`--step must be a whole number of pages, 1 or more, got "${String(values.step)}"`);
    if (positionals.length > 0) problems.push(`unexpected argument "${positionals[0]}" (use --output FILE)`);
    const source = ctx.config.sqlitePath;
    if (ctx.config.dialect === 'sqlite' && (source === undefined || source === ':memory:' || !existsSync(source))) {
      problems.push(`no database file at ${source ?? '(none)'}: check DATABASE_URL`);
    }
    if (output && source && resolve(output) === resolve(source)) problems.push('--output is the database itself; name another file');
    else if (output && existsSync(output) && !values.force) problems.push(`${output} exists; pass --force to replace it`);
    else if (output && !existsSync(dirname(resolve(output)))) problems.push(`folder ${dirname(resolve(output))} does not exist`);
    if (problems.length > 0) {
      for (const p of problems) process.stderr.write(`paperboy backup: ${p}\n`);
      process.stderr.write('Run "paperboy backup --help" for usage.\n');
      return 2;
    }
    return await backupSqlite(ctx, source!, output!, step);
  },
};

async function backupSqlite(ctx: Parameters<Command['run']>[0], source: string, output: string, step: number): Promise<number> {
  const temporary = `${output}.partial-${process.pid}`;
  const db = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const progress = createProgress(`backing up ${source}`);
  const started = Date.now();
  let restarts = 0;
  let lastRemaining = Infinity;
  try {
    const result = await db.backup(temporary, {
      progress({ totalPages, remainingPages }) {
        // SQLite restarts the copy when another connection wrote to the source meanwhile; copying
        // the rest in one step then finishes inside a single read transaction, however busy the server.
        if (remainingPages > lastRemaining) restarts++;
        lastRemaining = remainingPages;
        progress.update(totalPages - remainingPages, totalPages);
        return restarts > 0 ? ALL_PAGES : step;
      },
    });
    progress.update(result.totalPages, result.totalPages);
    progress.done();
    // The copy keeps the source's WAL mode; a backup is one self-contained file, so switch it back.
    const check = new SqliteDatabase(temporary, { fileMustExist: true });
    let verdict: unknown;
    try {
      check.pragma('journal_mode = DELETE');
      verdict = check.pragma('quick_check', { simple: true });
    } finally {
      check.close();
    }
    if (verdict !== 'ok') throw new Error(`the copy failed SQLite's quick_check (${String(verdict)}); ${source} is untouched`);
    renameSync(temporary, output);
    const bytes = statSync(output).size;
    const ms = Date.now() - started;
    ctx.log.info('backup_finished', { source, output, pages: result.totalPages, bytes, restarts, duration_ms: ms });
    process.stderr.write(`backed up ${source} to ${output}: ${(bytes / 1e6).toFixed(1)} MB, ${result.totalPages} pages in ${(ms / 1000).toFixed(1)}s${restarts > 0 ? ` (restarted ${restarts}× for concurrent writes)` : ''}\n`);
    return 0;
  } catch (err) {
    progress.done();
    rmSync(temporary, { force: true });
    throw err;
  } finally {
    db.close();
  }
}
