import { fetchAndStore } from '../harvest/index.ts';
import { ARXIV_ID_HELP, parseArxivId } from '../papers/index.ts';
import { openMigratedStore, type Command } from './command.ts';

export const command: Command = {
  name: 'fetch',
  summary: 'Fetch papers by arXiv id from the arXiv API and store them',
  help: `
Usage: paperboy fetch ID…

Fetches each paper's latest version from the arXiv API (ARXIV_API_URL) and stores it through the
same upsert as "import" and "harvest". Every form of id people paste works:
  2503.01234   2503.01234v2   arXiv:2503.01234   hep-th/9901001
  https://arxiv.org/abs/2503.01234v2   https://arxiv.org/pdf/2503.01234v2.pdf
A version in the id is accepted; paperboy keeps the latest version.
Exit status: 0 every paper stored, 1 some were not found or arXiv could not be reached,
2 an id is not an arXiv id.
`,
  async run(ctx, { positionals }) {
    if (positionals.length === 0) {
      process.stderr.write(`paperboy fetch: name at least one arXiv id; ${ARXIV_ID_HELP}.\n`);
      return 2;
    }
    const invalid = positionals.filter((id) => !parseArxivId(id));
    if (invalid.length > 0) {
      for (const id of invalid) process.stderr.write(`paperboy fetch: "${id}" is not an arXiv id; ${ARXIV_ID_HELP}.\n`);
      return 2;
    }
    const store = await openMigratedStore(ctx);
    try {
      const result = await fetchAndStore(store.db, ctx.config, positionals, { log: ctx.log });
      if (!result.ok) {
        process.stderr.write(`paperboy fetch: ${result.message}\n`);
        return 1;
      }
      for (const p of result.papers) process.stdout.write(`${p.arxivId}v${p.version ?? 1}  ${p.title}\n`);
      for (const id of result.missing) process.stderr.write(`${id}  not found on arXiv\n`);
      process.stdout.write(`fetched ${result.papers.length}: new ${result.stored.new}, updated ${result.stored.updated}, unchanged ${result.stored.unchanged}` +
        (result.missing.length > 0 ? `; not found ${result.missing.length}` : '') + '\n');
      return result.missing.length > 0 ? 1 : 0;
    } finally {
      await store.close();
    }
  },
};
