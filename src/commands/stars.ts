// `paperboy stars`: the github-stars job, once, with a progress bar.
import { runJobOnce, type Command } from './command.ts';

export const command: Command = {
  name: 'stars',
  summary: 'Fetch GitHub stars and last push of the repositories papers link to',
  help: `
Usage: paperboy stars

Asks GitHub's API (GITHUB_API_URL) about each paper's first code link on github.com that was never
fetched or is older than GITHUB_REFRESH_HOURS, newest papers first, with the stored ETag. Without
GITHUB_TOKEN GitHub allows 60 requests an hour, so a run asks at most 50; with one, 1,000. When the
limit is spent the run stops, and no run asks again before GitHub's reset time. "serve" and
"worker" run the same job hourly and after each harvest.
`,
  async run(ctx) {
    if (!ctx.config.around.githubStars) {
      process.stderr.write('paperboy stars: GITHUB_STARS=off, so GitHub is not asked. Set GITHUB_STARS=on.\n');
      return 2;
    }
    const { refreshStars } = await import('../repos/index.ts');
    const { around } = ctx.config;
    return runJobOnce(ctx, {
      label: 'repositories',
      work: (db, signal, onProgress) => refreshStars({ db, around, log: ctx.log, now: () => new Date() }, signal, onProgress),
      report: (r, secs) =>
        `repositories: ${r.fetched} fetched, ${r.unchanged} unchanged, ${r.missing} missing, ${r.failed} failed in ${secs.toFixed(1)}s${r.rateLimitedUntil ? `; GitHub's rate limit is spent until ${r.rateLimitedUntil}${around.githubToken ? '' : ' (set GITHUB_TOKEN for 5,000 requests an hour)'}` : ''}`,
    });
  },
};
