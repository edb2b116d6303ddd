// A minimal arXiv API client used for submissions until the harvester's fetchArxivPapers lands;
// delete this file and pass that function as AppDeps.fetchPapers. One request, 10 s timeout, no retries.
import { parseAtomFeed, XmlFormatError } from '../harvest/parse-atom.ts';
import type { FetchPapers } from './fetch-papers.ts';

export const fetchPapersFallback: FetchPapers = async (config, ids, { log }) => {
  const url = `${config.arxivApiUrl}?${new URLSearchParams({ id_list: ids.join(','), max_results: String(ids.length) })}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { 'user-agent': 'paperboy (submission lookup)' } });
  } catch (err) {
    log.warn('arxiv_unreachable', { url, error: (err as Error).message });
    return { ok: false, reason: 'unreachable', message: `arXiv could not be reached (${(err as Error).message})` };
  }
  if (res.status >= 500 || res.status === 429) return { ok: false, reason: 'unreachable', message: `arXiv answered ${res.status}` };
  if (!res.ok) return { ok: false, reason: 'bad_response', message: `arXiv answered ${res.status}` };
  try {
    const feed = parseAtomFeed(await res.text());
    if (feed.apiError) return { ok: false, reason: 'not_found', message: feed.apiError };
    const papers = feed.records.flatMap((r) => (r.paper ? [r.paper] : []));
    if (papers.length === 0) return { ok: false, reason: 'not_found', message: `arXiv has no paper ${ids.join(', ')}` };
    return { ok: true, papers };
  } catch (err) {
    if (err instanceof XmlFormatError) return { ok: false, reason: 'bad_response', message: err.message };
    throw err;
  }
};
