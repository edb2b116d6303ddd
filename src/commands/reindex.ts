// `paperboy reindex`: embeds every paper with the configured model and rebuilds the vector index.
import { rmSync } from 'node:fs';
import { createProgress } from '../lib/progress.ts';
import { openMigratedStore, type Command } from './command.ts';

export const command: Command = {
  name: 'reindex',
  summary: 'Embed papers for semantic search and rebuild the vector index (after a model change)',
  help: `
Usage: paperboy reindex [--full] [--prune]

Embeds every paper that has no vector under the configured model (EMBEDDINGS, EMBEDDING_MODEL),
or whose title/abstract changed, then rebuilds the vector index under DATA_DIR/vectors. Run it
after changing the model; "serve" also does this in the background, this just does it now with a
progress bar. Vectors are cached per model and text, so unchanged texts are not embedded again.
Interrupting is safe: rerun to continue.

Options:
  --full    forget this model's paper vectors and the index file first (the cache is kept)
  --prune   delete stored vectors of every other model
`,
  options: { full: { type: 'boolean' }, prune: { type: 'boolean' } },
  async run(ctx, { values }) {
    if (ctx.config.embeddings.mode === 'off') {
      process.stderr.write('paperboy reindex: EMBEDDINGS=off, so there is nothing to embed. Set EMBEDDINGS (see README, "Semantic search and embeddings").\n');
      return 2;
    }
    // Loaded here, not at the top: every command module is imported for `paperboy --help`.
    const { createSemanticSearch, indexFileFor } = await import('../search/semantic.ts');
    const { deletePaperEmbeddings, pruneOtherModels } = await import('../search/vectors/store.ts');
    const store = await openMigratedStore(ctx);
    const semantic = await createSemanticSearch({ db: store.db, config: ctx.config, log: ctx.log });
    try {
      if (!semantic || !(await semantic.whenLoaded())) {
        process.stderr.write(`paperboy reindex: no embedding model could be loaded${semantic?.status().error ? `: ${semantic.status().error}` : ''}\n`);
        return 1;
      }
      const model = semantic.status().model!;
      if (values.prune) process.stdout.write(`pruned ${await pruneOtherModels(store.db, model)} cached vectors of other models\n`);
      let s = semantic;
      if (values.full) {
        await semantic.close();
        await deletePaperEmbeddings(store.db, model);
        rmSync(indexFileFor(ctx.config, model), { force: true });
        rmSync(`${indexFileFor(ctx.config, model)}.json`, { force: true });
        s = (await createSemanticSearch({ db: store.db, config: ctx.config, log: ctx.log }))!;
        await s.whenLoaded();
      }
      const progress = createProgress(`embedding with ${model}`);
      const started = Date.now();
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once('SIGINT', stop);
      const r = await s.indexPending({ onProgress: (done, total) => progress.update(done, total), signal: abort.signal });
      process.off('SIGINT', stop);
      progress.done();
      const st = s.status();
      process.stdout.write(
        `${model}: embedded ${r.embedded}, reused ${r.reused} cached, index holds ${st.indexed}, pending ${st.pending} ` +
          `in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
      );
      if (s !== semantic) await s.close();
      return abort.signal.aborted ? 130 : 0;
    } finally {
      await semantic?.close();
      await store.close();
    }
  },
};
