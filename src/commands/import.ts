import { importFile, UnreadableFileError, type ImportSummary } from '../import/index.ts';
import { createProgress } from '../lib/progress.ts';
import { openMigratedStore, type Command } from './command.ts';
import { prepareSearch } from '../search/terms-job.ts';

export const command: Command = {
  name: 'import',
  summary: 'Import papers from JSONL (.gz), arXiv Atom XML or Hugging Face daily_papers JSON',
  help: `
Usage: paperboy import FILE…

Imports papers into the store. The format is recognised from the content:
  JSONL (plain or .gz)  one paper per line, either the arXiv listing format
                        {id, title, abstract, authors[], categories[], comment?, listed}
                        or paperboy's canonical format (see README, "Canonical JSONL")
  Atom XML              a saved arXiv API /api/query response
  JSON array            a Hugging Face daily_papers response; its upvotes are kept apart
                        from local votes as an imported signal

Re-importing changes nothing; a newer version of a paper updates it. Malformed records are
rejected with file:line: reason and the rest imports. An unreadable file changes nothing.
Exit status: 0 when every file imported (even with rejected records), 1 when a file failed.
`,
  async run(ctx, { positionals }) {
    if (positionals.length === 0) {
      process.stderr.write('paperboy import: name at least one FILE. Run "paperboy import --help" for formats.\n');
      return 2;
    }
    const store = await openMigratedStore(ctx);
    let failed = 0;
    try {
      for (const file of positionals) {
        const progress = createProgress(`importing ${file}`);
        const started = Date.now();
        try {
          const s = await importFile(store.db, file, { onProgress: (done, total) => progress.update(done, total) });
          progress.done();
          printSummary(s, Date.now() - started);
          ctx.log.info('import_finished', { file, format: s.format, read: s.read, new: s.new, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected, duration_ms: Date.now() - started });
        } catch (err) {
          progress.done();
          if (!(err instanceof UnreadableFileError)) throw err;
          failed++;
          process.stderr.write(`error: ${err.message}\n`);
        }
      }
      await prepareSearch(store.db, ctx.log);
    } finally {
      await store.close();
    }
    return failed > 0 ? 1 : 0;
  },
};

function printSummary(s: ImportSummary, ms: number): void {
  for (const e of s.errors) process.stderr.write(`rejected ${e}\n`);
  if (s.rejected > s.errors.length) process.stderr.write(`… and ${s.rejected - s.errors.length} more rejected\n`);
  const rate = s.read / Math.max(ms / 1000, 0.001);
  process.stdout.write(
    `${s.file} (${s.format}): read ${s.read}, new ${s.new}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected} ` +
      `in ${(ms / 1000).toFixed(1)}s (${Math.round(rate).toLocaleString('en-US')} papers/s)\n`,
  );
}
