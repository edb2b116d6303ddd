// `paperboy bench recommend`: recommendation quality and latency on an authors dataset (the measuring is in recommend-quality.ts).
import { benchRecommend, DatasetError } from './recommend-quality.ts';
import { DEFAULT_STAGES, DEFAULT_WEIGHTS, type RankWeights, type Stages } from '../recommend/index.ts';
import { createProgress } from '../lib/progress.ts';
import { openMigratedStore, type Mode } from '../commands/command.ts';

export const mode: Mode = {
  help: `
Usage: paperboy bench recommend --dataset DIR [--temperature T] [--category W] [--generality W] [--min-impact X] [--common-share S] [--shortlist N] [--users N] [--json]

On the database named by DATABASE_URL, which must hold the dataset's corpus (paperboy import
../shared/data/arxiv/papers.jsonl.gz), creates each user of DIR/users.jsonl with their library saved
through the product's own functions, asks the recommender for its top 50 among the papers announced
since the user's "since" (content only: follows, votes and author names are ignored), and prints
nDCG@20, recall@50 against DIR/qrels.tsv and the latency of each list (p50, p95). The bench's users
are deleted afterwards.

  --temperature T  softness of the maximum over saved papers, 0.01 to 10 (default ${DEFAULT_WEIGHTS.temperature})
  --category W     weight of the category log-odds, 0 to switch it off (default ${DEFAULT_WEIGHTS.category})
  --generality W   share of a paper's closeness to older papers in general taken off its score,
                   0 to switch it off (default ${DEFAULT_WEIGHTS.generality})
  --min-impact X   the first stage leaves out products of term weights below X, 0 for an exact
                   first stage (default ${DEFAULT_STAGES.minImpact})
  --common-share S the first stage takes terms held by more than this share of the window's papers
                   as the saved papers' mean, 1 to treat every term per saved paper
                   (default ${DEFAULT_STAGES.commonShare})
  --shortlist N    papers the second stage scores exactly (default ${DEFAULT_STAGES.shortlist})
  --users N        only the first N users (a quick look)
  --json           also print one JSON object as the last line

Example:
  DATABASE_URL=sqlite:/tmp/corpus.db paperboy bench recommend --dataset ../shared/data/recsys-authors --json
`,
  options: {
    dataset: { type: 'string' },
    temperature: { type: 'string' },
    category: { type: 'string' },
    generality: { type: 'string' },
    'min-impact': { type: 'string' },
    'common-share': { type: 'string' },
    shortlist: { type: 'string' },
    users: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run(ctx, { values }) {
    const dataset = values.dataset as string | undefined;
    if (!dataset) {
      process.stderr.write('paperboy bench recommend: --dataset DIR is required (e.g. ../shared/data/recsys-authors)\n');
      return 2;
    }
    const weights: RankWeights = { ...DEFAULT_WEIGHTS };
    for (const name of ['temperature', 'category', 'generality'] as const) {
      const raw = values[name] as string | undefined;
      if (raw === undefined) continue;
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0 || (name === 'temperature' && !(n >= 0.01 && n <= 10))) {
        process.stderr.write(`paperboy bench recommend: --${name} must be ${name === 'temperature' ? 'between 0.01 and 10' : 'a non-negative number'}, got "${raw}"\n`);
        return 2;
      }
      weights[name] = n;
    }
    const stages: Stages = { ...DEFAULT_STAGES };
    const minImpact = values['min-impact'] as string | undefined;
    if (minImpact !== undefined) {
      const x = Number(minImpact);
      if (!(Number.isFinite(x) && x >= 0 && x < 1)) {
        process.stderr.write(`paperboy bench recommend: --min-impact must be a number from 0 to below 1, got "${minImpact}"\n`);
        return 2;
      }
      stages.minImpact = x;
    }
    const commonShare = values['common-share'] as string | undefined;
    if (commonShare !== undefined) {
      const x = Number(commonShare);
      if (!(Number.isFinite(x) && x > 0 && x <= 1)) {
        process.stderr.write(`paperboy bench recommend: --common-share must be a number above 0 and at most 1, got "${commonShare}"\n`);
        return 2;
      }
      stages.commonShare = x;
    }
    const shortlist = values.shortlist as string | undefined;
    if (shortlist !== undefined) {
      const k = Number(shortlist);
      if (!(Number.isInteger(k) && k > 0)) {
        process.stderr.write(`paperboy bench recommend: --shortlist must be a positive integer, got "${shortlist}"\n`);
        return 2;
      }
      stages.shortlist = k;
    }
    const limitUsers = values.users === undefined ? undefined : Number(values.users);
    if (limitUsers !== undefined && !(Number.isInteger(limitUsers) && limitUsers > 0)) {
      process.stderr.write(`paperboy bench recommend: --users must be a positive integer, got "${values.users as string}"\n`);
      return 2;
    }
    const store = await openMigratedStore(ctx);
    const progress = createProgress('users');
    try {
      let last = 0;
      const r = await benchRecommend(store.db, dataset, {
        weights,
        stages,
        limitUsers,
        onProgress: (done, total) => {
          progress.update(done, total);
          if (!process.stderr.isTTY && (done - last >= 50 || done === total)) {
            last = done;
            process.stderr.write(`users ${done}/${total}\n`);
          }
        },
      });
      progress.done();
      process.stdout.write(
        `${r.users} users, window ${r.window_papers.toLocaleString('en-US')} papers (built in ${r.window_build_ms} ms)\n` +
          `nDCG@20 ${r.ndcg_at_20.toFixed(4)}  recall@50 ${r.recall_at_50.toFixed(4)}` +
          `  (even users ${r.halves.even.ndcg_at_20.toFixed(4)} / ${r.halves.even.recall_at_50.toFixed(4)}, odd ${r.halves.odd.ndcg_at_20.toFixed(4)} / ${r.halves.odd.recall_at_50.toFixed(4)})\n` +
          `latency per list: p50 ${r.p50_ms} ms  p95 ${r.p95_ms} ms (CPU time: p50 ${r.cpu_p50_ms} ms  p95 ${r.cpu_p95_ms} ms)\n`,
      );
      if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
      return 0;
    } catch (err) {
      progress.done();
      if (err instanceof DatasetError) {
        process.stderr.write(`paperboy bench recommend: ${err.message}\n`);
        return 2;
      }
      throw err;
    } finally {
      await store.close();
    }
  },
};
