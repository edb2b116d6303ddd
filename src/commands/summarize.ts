// `paperboy summarize`: the summarize job, once, with a progress bar.
import { runJobOnce, type Command } from './command.ts';

export const command: Command = {
  name: 'summarize',
  summary: 'Extract key phrases and a TL;DR for papers that lack them (and ask SUMMARY_URL, when set)',
  help: `
Usage: paperboy summarize

Extracts key phrases and a one-sentence TL;DR for every paper that has none or changed since,
newest first, from the paper's title and abstract and this instance's word statistics (no network).
With SUMMARY_URL and SUMMARY_MODEL set it then asks that OpenAI-compatible endpoint for a summary
and keywords of up to SUMMARY_MAX_PER_RUN papers. "serve" and "worker" run the same job in the
background every 5 minutes; this does it now. Interrupting is safe: rerun to continue.
`,
  async run(ctx) {
    const { countPendingSummaries, runSummaries } = await import('../summary/index.ts');
    return runJobOnce(ctx, {
      label: 'key phrases',
      total: countPendingSummaries,
      work: (db, signal, onProgress) => runSummaries({ db, log: ctx.log, now: () => new Date(), around: ctx.config.around }, signal, onProgress),
      report: (r, secs) => `key phrases and TL;DR for ${r.extracted} papers in ${secs.toFixed(1)}s; model summaries: ${r.modelWritten} written, ${r.modelFailed} failed`,
    });
  },
};
