// `paperboy thumbnails`: the thumbnails job, once, with a progress bar.
import { runJobOnce, type Command } from './command.ts';

export const command: Command = {
  name: 'thumbnails',
  summary: 'Render first-page thumbnails of recent papers from their arXiv PDFs',
  help: `
Usage: paperboy thumbnails [--days N]

Fetches the PDF of every paper announced within THUMBNAIL_DAYS (or --days N) of today that has no
thumbnail of its current version, politely (one request at a time, ARXIV_MIN_INTERVAL_MS apart),
and renders its first page with pdftoppm (Debian: apt-get install poppler-utils) into
DATA_DIR/thumbnails. "serve" and "worker" run the same job after each harvest and hourly.
Failures are retried on later runs with growing waits. Interrupting is safe: rerun to continue.

Options:
  --days N   look back N days instead of THUMBNAIL_DAYS
`,
  options: { days: { type: 'string' } },
  async run(ctx, { values }) {
    if (!ctx.config.around.thumbnails) {
      process.stderr.write('paperboy thumbnails: THUMBNAILS=off, so nothing is rendered. Set THUMBNAILS=on.\n');
      return 2;
    }
    const days = values.days === undefined ? ctx.config.around.thumbnailDays : Number(values.days);
    if (!Number.isInteger(days) || days < 0 || days > 3650) {
      process.stderr.write(`paperboy thumbnails: --days: expected a whole number of days from 0 to 3650, got "${String(values.days)}"\n`);
      return 2;
    }
    const { makeThumbnails } = await import('../thumbnails/index.ts');
    const config = { ...ctx.config, around: { ...ctx.config.around, thumbnailDays: days } };
    return runJobOnce(ctx, {
      label: 'thumbnails',
      work: (db, signal, onProgress) => makeThumbnails({ db, config, log: ctx.log, now: () => new Date() }, signal, onProgress),
      report: (r, secs) => `thumbnails: ${r.ready} rendered, ${r.unavailable} unavailable, ${r.failed} failed (retried later) in ${secs.toFixed(1)}s`,
      exitCode: (r) => (r.failed > 0 && r.ready === 0 ? 1 : 0),
    });
  },
};
