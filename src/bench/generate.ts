// `paperboy bench generate`: adds synthetic papers through the normal store, for scale benches.
import { countPapers, upsertPapers, type PaperInput } from '../papers/index.ts';
import { createProgress } from '../lib/progress.ts';
import { random, readSource, syntheticPaper } from './synthetic.ts';
import { openMigratedStore, type Mode } from '../commands/command.ts';
import { prepareSearch } from '../search/terms-job.ts';

export const mode: Mode = {
  help: `
Usage: paperboy bench generate --papers N --from FILE.jsonl.gz

Adds N synthetic papers ("syn.<n>": sentences and title words of FILE recombined, so term statistics
stay realistic) through the normal store, for scale benches.

Example (on a copy of a store holding the 74,728 shared papers, to reach a million):
  DATABASE_URL=sqlite:/tmp/million.db paperboy bench generate --papers 925272 --from ../shared/data/arxiv/papers.jsonl.gz
`,
  options: { papers: { type: 'string' }, from: { type: 'string' } },
  async run(ctx, { values }) {
    const count = Number(values.papers);
    const from = values.from as string | undefined;
    if (!Number.isInteger(count) || count < 1 || !from) {
      process.stderr.write('paperboy bench generate: give --papers N (a whole number) and --from FILE (JSONL of real papers, e.g. ../shared/data/arxiv/papers.jsonl.gz)\n');
      return 2;
    }
    const src = await readSource(from);
    const store = await openMigratedStore(ctx);
    try {
      const start = (await countPapers(store.db)) + 1;
      const rnd = random(start);
      const progress = createProgress('generating papers');
      const started = Date.now();
      for (let done = 0; done < count; ) {
        const batch: PaperInput[] = [];
        for (let i = 0; i < 2000 && done + i < count; i++) batch.push(syntheticPaper(src, start + done + i, rnd));
        await store.db.transaction().execute((tx) => upsertPapers(tx, batch));
        done += batch.length;
        progress.update(done, count);
      }
      progress.done();
      process.stdout.write(`added ${count.toLocaleString('en-US')} synthetic papers in ${((Date.now() - started) / 1000).toFixed(0)}s; the store now has ${(await countPapers(store.db)).toLocaleString('en-US')}\n`);
      await prepareSearch(store.db, ctx.log);
      return 0;
    } finally {
      await store.close();
    }
  },
};
