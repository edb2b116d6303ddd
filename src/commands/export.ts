import { countExportPapers, exportToFile, exportToStream, type ExportFormat } from '../export/index.ts';
import { createProgress } from '../lib/progress.ts';
import { parseDay } from '../papers/index.ts';
import { openMigratedStore, type Command } from './command.ts';

export const command: Command = {
  name: 'export',
  summary: 'Export papers as canonical JSONL (re-importable) or BibTeX',
  help: `
Usage: paperboy export --format jsonl|bibtex [--since YYYY-MM-DD] [--output FILE]

Writes every paper in the store, in id order, streaming (constant memory at any size).
  --format jsonl    paperboy's canonical JSONL, one paper per line (see README, "Canonical JSONL");
                    "paperboy import FILE" reads it back unchanged
  --format bibtex   one arXiv-style @misc entry per paper
  --since DAY       only papers announced on or after DAY (YYYY-MM-DD)
  --output FILE     write to FILE instead of standard output; FILE ending in .gz is gzip-compressed.
                    The file is written under a temporary name and renamed when complete, so an
                    interrupted export never leaves a partial file.

Examples:
  paperboy export --format jsonl --output backup.jsonl.gz
  paperboy export --format bibtex --since 2026-06-01 > june.bib
`,
  options: {
    format: { type: 'string' },
    since: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  async run(ctx, { values, positionals }) {
    const format = values.format as string | undefined;
    const since = values.since as string | undefined;
    const output = values.output as string | undefined;
    const problems: string[] = [];
    if (format !== 'jsonl' && format !== 'bibtex') problems.push(`--format must be jsonl or bibtex${format ? `, got "${format}"` : ''}`);
    if (since !== undefined && !parseDay(since)) problems.push(`--since must be a day YYYY-MM-DD, got "${since}"`);
    if (positionals.length > 0) problems.push(`unexpected argument "${positionals[0]}" (use --output FILE)`);
    if (problems.length > 0) {
      for (const p of problems) process.stderr.write(`paperboy export: ${p}\n`);
      process.stderr.write('Run "paperboy export --help" for usage.\n');
      return 2;
    }
    const store = await openMigratedStore(ctx);
    try {
      const filter = { since };
      const total = await countExportPapers(store.db, filter);
      const progress = createProgress(`exporting ${format}`);
      let done = 0;
      const tick = () => progress.update(++done, total);
      const started = Date.now();
      const n = output
        ? await exportToFile(store.db, format as ExportFormat, filter, output, tick)
        : await exportToStream(store.db, format as ExportFormat, filter, process.stdout, tick);
      progress.done();
      const ms = Date.now() - started;
      ctx.log.info('export_finished', { format, since, output: output ?? 'stdout', papers: n, duration_ms: ms });
      if (output) process.stderr.write(`wrote ${n} papers to ${output} in ${(ms / 1000).toFixed(1)}s\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
