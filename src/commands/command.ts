// The shape of a subcommand. Each file in this folder exports `command`; main.ts finds them.
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createProgress } from '../lib/progress.ts';
import { openStore, type Db, type Store } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { publicUrl } from '../store/settings.ts';

export interface CommandContext {
  config: Config;
  log: Logger;
}

export interface CommandArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

export interface Command {
  name: string;
  summary: string;
  /** Full --help text. */
  help: string;
  options?: ParseArgsConfig['options'];
  run(ctx: CommandContext, args: CommandArgs): Promise<number>;
}

/**
 * A command whose first argument picks a mode (`paperboy bench http`). main.ts runs the chosen mode
 * like a command of its own (its help, options and run); a mode's module is loaded only when chosen,
 * so the table carries the one-line summaries that `--help` lists.
 */
export interface CommandWithModes {
  name: string;
  summary: string;
  /** Full --help text: lists the modes. */
  help: string;
  modes: Record<string, { summary: string; load(): Promise<Mode> }>;
}

/** One mode of a CommandWithModes; its summary is in the parent's table. */
export type Mode = Omit<Command, 'name' | 'summary'>;

/**
 * Opens the configured store with migrations applied; the caller closes it. It also settles the
 * public URL: without BASE_URL, `ctx.config.baseUrl` becomes the one a server of this instance
 * recorded, so links in mails sent from the command line work. `recordPublicUrl`: this process serves.
 */
export async function openMigratedStore(ctx: CommandContext, opts: { recordPublicUrl?: boolean } = {}): Promise<Store> {
  const store = await openStore(ctx.config);
  try {
    const { applied } = await migrateToLatest(store.db);
    if (applied.length > 0) ctx.log.info('migrations_applied', { migrations: applied });
    const url = await publicUrl(store.db, ctx.config, { record: opts.recordPublicUrl });
    if (url.shadowed) ctx.log.warn('public_url_loopback', { base_url: url.url, served_as: url.shadowed, hint: 'links in mails from this process point at a loopback address; unset BASE_URL to use the recorded one, or set it to the public URL' });
    if (url.url !== ctx.config.baseUrl) {
      ctx.config = Object.freeze({ ...ctx.config, baseUrl: url.url });
      ctx.log.info('public_url', { base_url: url.url, source: url.source });
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

export interface JobOnce<R> {
  /** What the progress bar counts, e.g. "thumbnails". */
  label: string;
  /** How many items wait, when the job can say (the bar then shows an ETA). */
  total?: (db: Db) => Promise<number>;
  work: (db: Db, signal: AbortSignal, onProgress: (done: number) => void) => Promise<R>;
  /** The closing line on stdout. */
  report: (r: R, seconds: number) => string;
  /** The exit code of a run that was not interrupted; 0 unless given. */
  exitCode?: (r: R) => number;
}

/**
 * Runs a background job's work once from the command line: on the migrated store, with a progress bar
 * (rate and ETA) on a terminal, and Ctrl-C stopping it between items (exit 130; rerun to continue).
 */
export async function runJobOnce<R>(ctx: CommandContext, job: JobOnce<R>): Promise<number> {
  const store = await openMigratedStore(ctx);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  try {
    const total = job.total ? await job.total(store.db) : undefined;
    const progress = createProgress(job.label);
    const started = Date.now();
    const r = await job.work(store.db, abort.signal, (done) => progress.update(done, total));
    progress.done();
    process.stdout.write(`${job.report(r, (Date.now() - started) / 1000)}\n`);
    return abort.signal.aborted ? 130 : (job.exitCode?.(r) ?? 0);
  } finally {
    process.off('SIGINT', stop);
    await store.close();
  }
}
