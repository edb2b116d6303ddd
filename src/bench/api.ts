// `paperboy bench api`: JSON API and feed latency under load, and export throughput, on the configured database.
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import autocannon from 'autocannon';
import { exportToStream } from '../export/index.ts';
import { latestAnnouncedOn } from '../papers/index.ts';
import { instanceSecret } from '../store/settings.ts';
import { buildOwnApp } from '../app.ts';
import { openMigratedStore, type Mode } from '../commands/command.ts';

export const mode: Mode = {
  help: `
Usage: paperboy bench api [--seconds N] [--connections N]

Starts the app in-process on 127.0.0.1 (a random port) against the configured database and drives
each read endpoint with autocannon for N seconds (default 5) over C connections (default 10):
/api/daily_papers (latest day, and the latest month), /api/papers/:id, /feeds/weekly.rss,
/feeds/search.json?q=…, /api/openapi.json. Prints requests/s and p50/p99 latency per endpoint, then
the time and peak memory to export every paper as JSONL (to a discarding stream).
Load papers first, e.g.  paperboy import ../shared/data/arxiv/papers.jsonl.gz
`,
  options: { seconds: { type: 'string' }, connections: { type: 'string' } },
  async run(ctx, { values }) {
    const seconds = Number(values.seconds ?? 5);
    const connections = Number(values.connections ?? 10);
    if (!Number.isFinite(seconds) || seconds <= 0 || !Number.isInteger(connections) || connections < 1) {
      process.stderr.write('paperboy bench api: --seconds must be a positive number and --connections a positive whole number\n');
      return 2;
    }
    const store = await openMigratedStore(ctx);
    const secret = await instanceSecret(store.db, ctx.config.secret);
    const { app } = await buildOwnApp({ config: ctx.config, log: ctx.log, db: store.db, now: () => new Date(), secret });
    try {
      const latest = await latestAnnouncedOn(store.db);
      if (!latest) {
        process.stderr.write('paperboy bench api: the database has no papers; import some first\n');
        return 1;
      }
      const paper = await store.db.selectFrom('paper').select('arxiv_id').where('announced_on', '=', latest).limit(1).executeTakeFirstOrThrow();
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const paths = [
        '/api/daily_papers',
        `/api/daily_papers?month=${latest.slice(0, 7)}&limit=100`,
        `/api/papers/${paper.arxiv_id}`,
        '/feeds/weekly.rss',
        '/feeds/search.json?q=language%20model',
        '/api/openapi.json',
      ];
      const papers = Number((await store.db.selectFrom('paper').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      process.stdout.write(`bench api: ${papers.toLocaleString('en-US')} papers, ${ctx.config.dialect}, ${seconds}s × ${connections} connections per endpoint\n`);
      for (const path of paths) {
        const r = await autocannon({ url: `${base}${path}`, duration: seconds, connections });
        const errors = r.errors + r.non2xx;
        process.stdout.write(
          `${path.padEnd(44)} ${Math.round(r.requests.average).toString().padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms${errors ? `  (${errors} errors)` : ''}\n`,
        );
      }
      let peak = process.memoryUsage().rss;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const started = performance.now();
      const discard = new Writable({ write: (_chunk, _enc, done) => done() });
      const n = await exportToStream(store.db, 'jsonl', {}, discard);
      const ms = performance.now() - started;
      clearInterval(timer);
      process.stdout.write(`export jsonl: ${n.toLocaleString('en-US')} papers in ${(ms / 1000).toFixed(1)}s (${Math.round(n / (ms / 1000)).toLocaleString('en-US')} papers/s), peak RSS ${Math.round(peak / 1048576)} MB\n`);
      return 0;
    } finally {
      await app.close();
      await store.close();
    }
  },
};
