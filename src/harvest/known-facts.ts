// What the store knows better than a harvested or fetched record.
import type { Tx } from '../store/db.ts';
import type { PaperInput } from '../papers/index.ts';

/**
 * For papers already stored, keeps their announced day: a record's dates for a known paper describe
 * a later change (OAI datestamp) or only estimate the day (API), while the stored day came from when
 * the paper was new. With keepVersion, also keeps the stored version, for sources that carry none
 * (the OAI arXiv format always holds the latest metadata, but not its version number).
 */
export async function keepKnownFacts(tx: Tx, papers: PaperInput[], opts: { keepVersion: boolean }): Promise<PaperInput[]> {
  if (papers.length === 0) return papers;
  const known = new Map<string, { version: number; announced_on: string }>();
  const ids = papers.map((p) => p.arxivId);
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await tx.selectFrom('paper').select(['arxiv_id', 'version', 'announced_on']).where('arxiv_id', 'in', ids.slice(i, i + 500)).execute();
    for (const row of rows) known.set(row.arxiv_id, row);
  }
  return papers.map((p) => {
    const old = known.get(p.arxivId);
    if (!old) return p;
    return { ...p, announcedOn: old.announced_on, ...(opts.keepVersion ? { version: old.version } : {}) };
  });
}
