// The one seam between submissions and the arXiv client: submissions take a FetchPapers function as
// a dependency (harvest's fetchArxivPapers by default; tests point it at a loopback arXiv server).
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { PaperInput } from '../papers/index.ts';

export type FetchPapersResult =
  | { ok: true; papers: PaperInput[] }
  | { ok: false; reason: 'unreachable' | 'not_found' | 'bad_response' | 'invalid_id'; message: string };

export type FetchOneResult =
  | { ok: true; paper: PaperInput }
  | { ok: false; reason: 'unreachable' | 'not_found' | 'bad_response'; message: string };

/** The signature of harvest's fetchArxivPapers(config, ids, {log}). */
export type FetchPapers = (config: Config, ids: string[], opts: { log: Logger }) => Promise<FetchPapersResult>;

/** Fetches one paper's metadata; a response without that paper counts as not found. */
export async function fetchOnePaper(fetchPapers: FetchPapers, config: Config, arxivId: string, log: Logger): Promise<FetchOneResult> {
  const res = await fetchPapers(config, [arxivId], { log });
  if (!res.ok) return { ok: false, reason: res.reason === 'invalid_id' ? 'not_found' : res.reason, message: res.message };
  const paper = res.papers.find((p) => p.arxivId === arxivId);
  if (!paper) return { ok: false, reason: 'not_found', message: `arXiv has no paper ${arxivId}` };
  return { ok: true, paper };
}
