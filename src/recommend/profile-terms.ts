// The analysed text of the papers readers rank by (their saved and upvoted papers), read from the
// store and analysed once per process: a reader's list is recomputed whenever their library or the
// window changes, and analysing 300 papers' text each time would be most of that work. An entry is
// used only while the paper's content_hash is unchanged, so an edited paper is analysed afresh;
// the cache is bounded by bytes and the least recently used paper leaves first.
import type { Db } from '../store/db.ts';
import { stringBytes, type ByteCache } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import { comparisonTerms, type TermCounts } from './comparison-terms.ts';

export interface ProfileText {
  arxivId: string;
  title: string;
  categories: string[];
  terms: TermCounts;
}

/** About 1.5 KB a paper (200 terms at 6 bytes, the title): 4 % of CACHE_MEMORY_MB (10 MB by default) holds ~7,000. */
interface Entry {
  hash: string;
  text: ProfileText;
}

const caches = new WeakMap<Db, ByteCache<number, Entry>>();

function entryBytes(e: Entry): number {
  const t = e.text;
  return stringBytes(e.hash) + stringBytes(t.arxivId) + stringBytes(t.title) + t.categories.reduce((n, c) => n + stringBytes(c) + 24, 0) + t.terms.hashes.byteLength + t.terms.counts.byteLength + 200;
}

/** The analysed text of each of these papers that exists, by id. */
export async function loadProfileTexts(db: Db, ids: number[]): Promise<Map<number, ProfileText>> {
  const out = new Map<number, ProfileText>();
  if (ids.length === 0) return out;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = budgetedCache<number, Entry>('profile terms', (_id, e) => entryBytes(e))));
  const current = await db.selectFrom('paper').select(['id', 'content_hash']).where('id', 'in', ids).execute();
  const missing: number[] = [];
  for (const r of current) {
    const e = cache.get(r.id);
    if (e && e.hash === r.content_hash) {
      cache.touch(r.id);
      out.set(r.id, e.text);
    } else missing.push(r.id);
  }
  if (missing.length === 0) return out;
  const rows = await db.selectFrom('paper').select(['id', 'content_hash', 'arxiv_id', 'title', 'abstract', 'categories']).where('id', 'in', missing).execute();
  for (const r of rows) {
    const text: ProfileText = { arxivId: r.arxiv_id, title: r.title, categories: JSON.parse(r.categories) as string[], terms: comparisonTerms(`${r.title}\n${r.abstract}`) };
    cache.set(r.id, { hash: r.content_hash, text });
    out.set(r.id, text);
  }
  return out;
}
