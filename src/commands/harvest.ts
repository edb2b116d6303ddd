import { OAI_SET_SPEC } from '../config.ts';
import { harvestArxiv } from '../harvest/index.ts';
import { createProgress } from '../lib/progress.ts';
import { openMigratedStore, type Command } from './command.ts';

export const command: Command = {
  name: 'harvest',
  summary: 'Harvest new and changed papers from arXiv over OAI-PMH',
  help: `
Usage: paperboy harvest [--from YYYY-MM-DD] [--until YYYY-MM-DD] [--set SET]…

Fetches arXiv metadata changed in a date range (OAI-PMH ListRecords, metadataPrefix=arXiv) from
ARXIV_OAI_URL, page by page, and stores it through the same upsert as "import".
  --from DAY    first datestamp to harvest (default: where the last harvest of the set got to,
                or 7 days ago on the first run)
  --until DAY   last datestamp to harvest (default: up to now). A run with --until is a backfill and
                does not move the starting point of later runs.
  --set SET     an OAI set such as cs, math or physics:hep-th; repeat for several (default ARXIV_SETS)

Requests go one at a time, ARXIV_MIN_INTERVAL_MS apart; arXiv's 503 + Retry-After is waited out.
Every page is committed with its checkpoint, so after a crash or kill the next run, with or without
the same options, first finishes the interrupted list. Deleted records mark papers withdrawn;
malformed records are skipped and reported. Only one harvest runs at a time (also across processes).
Exit status: 0 done, 1 failed (see the message), 3 another harvest is running.
`,
  options: {
    from: { type: 'string' },
    until: { type: 'string' },
    set: { type: 'string', multiple: true },
  },
  async run(ctx, { values, positionals }) {
    const fail = (message: string) => {
      process.stderr.write(`paperboy harvest: ${message}\nRun "paperboy harvest --help" for usage.\n`);
      return 2;
    };
    if (positionals.length > 0) return fail(`unexpected argument "${positionals[0]}"`);
    const from = values.from as string | undefined;
    const until = values.until as string | undefined;
    const sets = (values.set as string[] | undefined) ?? [];
    for (const [name, day] of [['--from', from], ['--until', until]] as const) {
      if (day !== undefined && !isDay(day)) return fail(`${name} must be a date like 2025-03-01, got "${day}"`);
    }
    if (from && until && from > until) return fail(`--from ${from} is after --until ${until}`);
    const badSet = sets.find((s) => !OAI_SET_SPEC.test(s));
    if (badSet !== undefined) return fail(`--set must be an OAI set such as cs or physics:hep-th, got "${badSet}"`);

    const store = await openMigratedStore(ctx);
    const bar = createProgress('harvesting');
    let barDone = false;
    const progress = { update: bar.update, done: () => (barDone ? undefined : ((barDone = true), bar.done())) };
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const outcome = await harvestArxiv(store.db, ctx.config, {
        from, until, sets, trigger: 'cli', log: ctx.log, signal: abort.signal,
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.done();
      if (outcome.status === 'busy') {
        process.stderr.write(`paperboy harvest: another harvest is running (${outcome.holder ?? 'unknown holder'}); try again when it has finished.\n`);
        return 3;
      }
      const r = outcome.run;
      const secs = r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000 : 0;
      for (const p of r.problems) process.stderr.write(`skipped ${p}\n`);
      process.stdout.write(
        `harvest ${outcome.status} (${r.sets.join(', ')}): ${r.pages} pages, fetched ${r.fetched}, new ${r.new}, updated ${r.updated}, ` +
          `unchanged ${r.unchanged}, withdrawn ${r.withdrawn}, skipped ${r.skipped} in ${secs.toFixed(1)}s\n`,
      );
      if (r.error) process.stderr.write(`paperboy harvest: ${r.error}\n`);
      return outcome.status === 'succeeded' ? 0 : 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      progress.done();
      await store.close();
    }
  },
};

function isDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}
