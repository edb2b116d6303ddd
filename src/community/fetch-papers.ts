// The one seam between submissions and the arXiv client: submissions take a FetchPapers function as
// a dependency (the harvester's fetchArxivPapers in production, a loopback server in tests).
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { PaperInput } from '../papers/index.ts';

export type FetchPapersResult =
  | { ok: true; papers: PaperInput[] }
  | { ok: false; reason: 'unreachable' | 'not_found' | 'bad_response'; message: string };

/** The signature of harvest's fetchArxivPapers(config, ids, {log}). */
export type FetchPapers = (config: Config, ids: string[], opts: { log: Logger }) => Promise<FetchPapersResult>;

/** Fetches one paper's metadata; a response without that paper counts as not found. */
export async function fetchOnePaper(fetchPapers: FetchPapers, config: Config, arxivId: string, log: Logger): Promise<FetchPapersResult & { paper?: PaperInput }> {
  const res = await fetchPapers(config, [arxivId], { log });
  if (!res.ok) return res;
  const paper = res.papers.find((p) => p.arxivId === arxivId);
  if (!paper) return { ok: false, reason: 'not_found', message: `arXiv has no paper ${arxivId}` };
  return { ok: true, papers: [paper], paper };
}
