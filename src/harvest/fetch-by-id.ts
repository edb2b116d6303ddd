// Fetches single papers by arXiv id through the arXiv API (Atom). Used by `paperboy fetch` and by the
// community submission flow. fetchArxivPapers never writes the store; fetchAndStore does.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { ARXIV_ID_HELP, parseArxivId, upsertPapers, type PaperInput, type UpsertResult } from '../papers/index.ts';
import { ArxivUnavailableError, createArxivClient, type ArxivClient } from './arxiv-client.ts';
import { parseAtomFeed, XmlFormatError } from './parse-atom.ts';
import { keepKnownFacts } from './known-facts.ts';

export type FetchResult =
  | {
      ok: true;
      papers: PaperInput[];
      /** Ids (without version) arXiv had no paper for, when some of several were found. */
      missing: string[];
    }
  | { ok: false; reason: 'unreachable' | 'not_found' | 'bad_response' | 'invalid_id'; message: string };

export interface FetchOptions {
  log: Logger;
  signal?: AbortSignal;
  /** Default: a client from config with 3 attempts (someone may be waiting for the answer). */
  client?: ArxivClient;
}

/** The API answers at most this many ids per request without paging. */
const IDS_PER_REQUEST = 100;

/**
 * Fetches the latest version of each paper. Ids may be in any form users paste (see parseArxivId);
 * a version in an id is accepted but the latest version is what arXiv returns and paperboy keeps.
 */
export async function fetchArxivPapers(config: Config, ids: string[], opts: FetchOptions): Promise<FetchResult> {
  const wanted: string[] = [];
  for (const raw of ids) {
    const parsed = parseArxivId(raw);
    if (!parsed) return { ok: false, reason: 'invalid_id', message: `"${raw.trim().slice(0, 100)}" is not an arXiv id: ${ARXIV_ID_HELP}` };
    if (!wanted.includes(parsed.id)) wanted.push(parsed.id);
  }
  if (wanted.length === 0) return { ok: false, reason: 'invalid_id', message: `no arXiv id given: ${ARXIV_ID_HELP}` };
  const client = opts.client ?? createArxivClient({ minIntervalMs: config.arxivMinIntervalMs, timeoutMs: config.arxivTimeoutMs, log: opts.log, maxAttempts: 3 });
  const found = new Map<string, PaperInput>();
  for (let i = 0; i < wanted.length; i += IDS_PER_REQUEST) {
    const chunk = wanted.slice(i, i + IDS_PER_REQUEST);
    const url = new URL(config.arxivApiUrl);
    url.searchParams.set('id_list', chunk.join(','));
    url.searchParams.set('max_results', String(chunk.length));
    let text: string;
    try {
      const res = await client.get(url.toString(), { signal: opts.signal });
      text = res.text;
      if (res.status >= 300 && !text.trimStart().startsWith('<')) {
        return { ok: false, reason: 'bad_response', message: `the arXiv API answered HTTP ${res.status}; check ARXIV_API_URL` };
      }
    } catch (err) {
      if (err instanceof ArxivUnavailableError) return { ok: false, reason: 'unreachable', message: err.message };
      throw err;
    }
    let feed;
    try {
      feed = parseAtomFeed(text);
    } catch (err) {
      if (err instanceof XmlFormatError) return { ok: false, reason: 'bad_response', message: `the arXiv API sent something unreadable: ${err.message}` };
      throw err;
    }
    // The API reports an id it cannot look up as a single entry titled "Error".
    if (feed.apiError) {
      if (/incorrect id format|not found|does not exist/i.test(feed.apiError)) {
        return { ok: false, reason: 'not_found', message: `arXiv has no paper ${chunk.join(', ')} (${feed.apiError})` };
      }
      return { ok: false, reason: 'bad_response', message: `the arXiv API said: ${feed.apiError}` };
    }
    for (const rec of feed.records) {
      if (rec.paper && chunk.includes(rec.paper.arxivId)) found.set(rec.paper.arxivId, rec.paper);
      else if (rec.error) opts.log.warn('arxiv_entry_skipped', { line: rec.line, problem: rec.error });
    }
  }
  const missing = wanted.filter((id) => !found.has(id));
  if (found.size === 0) {
    return { ok: false, reason: 'not_found', message: `arXiv has no paper ${missing.join(', ')}; check the id (${ARXIV_ID_HELP})` };
  }
  return { ok: true, papers: wanted.flatMap((id) => (found.has(id) ? [found.get(id)!] : [])), missing };
}

export type FetchAndStoreResult =
  | (Extract<FetchResult, { ok: true }> & { stored: UpsertResult })
  | Extract<FetchResult, { ok: false }>;

/** Fetches papers and stores them through the one upsert path; an already-stored paper keeps its announced day. */
export async function fetchAndStore(db: Db, config: Config, ids: string[], opts: FetchOptions): Promise<FetchAndStoreResult> {
  const result = await fetchArxivPapers(config, ids, opts);
  if (!result.ok) return result;
  const stored = await db.transaction().execute(async (tx) => upsertPapers(tx, await keepKnownFacts(tx, result.papers, { keepVersion: false })));
  opts.log.info('papers_fetched', { arxiv_ids: result.papers.map((p) => p.arxivId), missing: result.missing, new: stored.new, updated: stored.updated, unchanged: stored.unchanged });
  return { ...result, stored };
}
