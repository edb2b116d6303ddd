// Papers' text as index terms, for re-scoring: read from the store, analysed once and kept in memory
// (most queries re-score the same few thousand popular papers). A cached entry is used only while the
// paper's content_hash is unchanged, so an edited paper is analysed afresh.
import type { Db } from '../store/db.ts';
import type { DocText } from './rescore.ts';
import { tokenize } from './analyze.ts';
import { stemWord } from './snippet.ts';

/** Papers kept analysed: ~4 KB each (stemmed and unstemmed tokens), so ~80 MB at most. */
export const DOC_CACHE_SIZE = 20_000;

interface Entry {
  hash: string;
  doc: DocText;
}

const docs = new Map<number, Entry>();

/** The analysed text of each paper that exists, by id. */
export async function loadDocTexts(db: Db, ids: number[]): Promise<Map<number, DocText>> {
  const out = new Map<number, DocText>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('paper').select(['id', 'content_hash', 'title', 'abstract', 'authors_text']).where('id', 'in', ids).execute();
  for (const r of rows) {
    let entry = docs.get(r.id);
    if (entry && entry.hash === r.content_hash) {
      // Refresh its place: Map keeps insertion order, so the oldest-used entry is the first.
      docs.delete(r.id);
    } else {
      const titleWords = tokenize(r.title);
      const abstractWords = tokenize(r.abstract);
      entry = {
        hash: r.content_hash,
        doc: { paperId: r.id, title: titleWords.map(stemWord), abstract: abstractWords.map(stemWord), authors: analyse(r.authors_text), titleWords, abstractWords },
      };
    }
    docs.set(r.id, entry);
    if (docs.size > DOC_CACHE_SIZE) docs.delete(docs.keys().next().value!);
    out.set(r.id, entry.doc);
  }
  return out;
}

function analyse(text: string): string[] {
  return tokenize(text).map(stemWord);
}
