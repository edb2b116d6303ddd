// `paperboy hf-sync`: the hf-sync job, once.
import { openMigratedStore, type Command } from './command.ts';

export const command: Command = {
  name: 'hf-sync',
  summary: "Record Hugging Face's upvotes, comments and submitters for the papers this instance has",
  help: `
Usage: paperboy hf-sync [--days N]

Pulls Hugging Face's daily papers (HF_DAILY_PAPERS_URL?date=DAY) for each of the last HF_SYNC_DAYS
days (or N) and records, for papers this instance already has, HF's upvotes (kept apart from local
votes, which are never changed), comment counts, submitters, GitHub links and hidden authors.
Papers the instance does not have are skipped. Scheduled by HF_SYNC_CRON (off by default).
`,
  options: { days: { type: 'string' } },
  async run(ctx, { values }) {
    const days = values.days === undefined ? ctx.config.around.hfSyncDays : Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 365) {
      process.stderr.write(`paperboy hf-sync: --days: expected a whole number of days from 1 to 365, got "${String(values.days)}"\n`);
      return 2;
    }
    const { syncHfDailyPapers } = await import('../huggingface/index.ts');
    const store = await openMigratedStore(ctx);
    try {
      const r = await syncHfDailyPapers({ db: store.db, around: { ...ctx.config.around, hfSyncDays: days }, log: ctx.log, now: () => new Date() });
      process.stdout.write(`hf-sync: ${r.days} days, ${r.items} papers listed, ${r.recorded} recorded, ${r.skipped} not here${r.failedDays.length > 0 ? `; failed: ${r.failedDays.join(', ')}` : ''}\n`);
      return r.days === 0 && r.failedDays.length > 0 ? 1 : 0;
    } finally {
      await store.close();
    }
  },
};
