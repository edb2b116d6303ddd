// `paperboy bench trending FILE`: imports a corpus into a scratch SQLite database, adds synthetic
// users and votes, and reports trending query latency and the vote write rate.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openStore } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { importFile } from '../import/index.ts';
import { createProgress } from '../lib/progress.ts';
import { seedVotes, timeTrending } from './seed-votes.ts';
import type { Mode } from '../commands/command.ts';

export const mode: Mode = {
  help: `
Usage: paperboy bench trending FILE [--users N] [--votes N] [--iterations N]

Imports FILE (any format "paperboy import" reads, e.g. ../shared/data/arxiv/papers.jsonl.gz) into a
scratch SQLite database in a temporary folder (your DATABASE_URL is not touched), creates --users
accounts (default 2000) casting --votes upvotes (default 20000) on papers of the last 30 days, skewed
toward a few papers, then times the first page of the latest day, week, month, the month before and the hot list
--iterations times each (default 50) and prints p50/p95. The scratch database is deleted afterwards.
HOT_* settings apply.
`,
  options: { users: { type: 'string' }, votes: { type: 'string' }, iterations: { type: 'string' } },
  async run(ctx, { values, positionals }) {
    const file = positionals[0];
    const num = (v: unknown, d: number) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : d);
    if (!file) {
      process.stderr.write('paperboy bench trending: name a corpus FILE. Run "paperboy bench trending --help".\n');
      return 2;
    }
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
    const store = await openStore({ databaseUrl: `sqlite:${join(dir, 'bench.db')}`, dialect: 'sqlite', sqlitePath: join(dir, 'bench.db') });
    try {
      await migrateToLatest(store.db);
      const importing = createProgress('importing');
      const imported = await importFile(store.db, file, { onProgress: (d, t) => importing.update(d, t) });
      importing.done();
      const { config } = ctx;
      const opts = {
        users: num(values.users, 2000),
        votes: num(values.votes, 20000),
        iterations: num(values.iterations, 50),
        hot: { gravity: config.hotGravity, offsetHours: config.hotOffsetHours, windowDays: config.hotWindowDays },
      };
      const voting = createProgress('voting');
      const seeded = await seedVotes(store.db, { ...opts, onProgress: (d, t) => voting.update(d, t) });
      voting.done();
      process.stdout.write(`corpus: ${imported.new} papers; ${opts.users} users; ${seeded.inserted} votes cast at ${Math.round(seeded.perSecond)} votes/s (setVote, one at a time)\n`);
      for (const line of await timeTrending(store.db, opts)) {
        process.stdout.write(`listTrending ${line.name.padEnd(15)} p50 ${line.p50Ms.toFixed(1)} ms  p95 ${line.p95Ms.toFixed(1)} ms  cpu ${line.cpuMs.toFixed(1)} ms/call  (${line.rows} papers ranked, ${opts.iterations} runs)\n`);
      }
      return 0;
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
