// Papers' text as index terms, for re-scoring: read from the store, analysed once and kept in memory
// (most queries re-score the same few thousand popular papers). A cached entry is used only while the
// paper's content_hash is unchanged, so an edited paper is analysed afresh.
import type { Db } from '../store/db.ts';
import { stringBytes } from '../lib/byte-cache.ts';
import { budgetedCache } from '../lib/memory-budget.ts';
import type { DocText } from './rescore.ts';
import { tokenize } from './analyze.ts';
import { stemWord } from './snippet.ts';

interface Entry {
  hash: string;
  doc: DocText;
}

/** ~4 KB a typical paper (stemmed and unstemmed tokens): 64 MB hold ~16,000. */
const docs = budgetedCache<number, Entry>('analysed papers', (_id, e) => {
  const d = e.doc;
  return stringBytes(e.hash) + tokensBytes(d.title) + tokensBytes(d.abstract) + tokensBytes(d.authors) + tokensBytes(d.titleWords ?? []) + tokensBytes(d.abstractWords ?? []);
});

/** Each token a string plus its array slot. */
function tokensBytes(tokens: string[]): number {
  let n = 0;
  for (const t of tokens) n += stringBytes(t) + 24;
  return n;
}

/** The analysed text of each paper that exists, by id. */
export async function loadDocTexts(db: Db, ids: number[]): Promise<Map<number, DocText>> {
  const out = new Map<number, DocText>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('paper').select(['id', 'content_hash', 'title', 'abstract', 'authors_text']).where('id', 'in', ids).execute();
  for (const r of rows) {
    let entry = docs.get(r.id);
    if (entry && entry.hash === r.content_hash) {
      docs.touch(r.id); // the least recently used paper leaves first
    } else {
      const titleWords = tokenize(r.title);
      const abstractWords = tokenize(r.abstract);
      entry = {
        hash: r.content_hash,
        doc: { paperId: r.id, title: titleWords.map(stemWord), abstract: abstractWords.map(stemWord), authors: analyse(r.authors_text), titleWords, abstractWords },
      };
      docs.set(r.id, entry);
    }
    out.set(r.id, entry.doc);
  }
  return out;
}

function analyse(text: string): string[] {
  return tokenize(text).map(stemWord);
}

/** Each paper's authors, by id. */
export async function loadAuthors(db: Db, ids: number[]): Promise<Map<number, string[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('paper').select(['id', 'authors']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, JSON.parse(r.authors) as string[]]));
}
