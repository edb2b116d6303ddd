// Cached and stored embeddings.
import type { Generated } from 'kysely';
import type { Timestamp } from '../schema.ts';

export interface EmbeddingCacheTable {
  model: string;
  text_hash: string;
  dimension: number;
  /** Little-endian float32 values. */
  vector: Uint8Array;
  created_at: Timestamp;
}

export interface PaperEmbeddingTable {
  paper_id: number;
  model: string;
  text_hash: string;
  /** paper.content_hash at embedding time; a different current value means the paper changed. */
  source_hash: string;
  embedded_at: Timestamp;
  /** The "embeddings" change version of the write that set this row (see store/change-version.ts). */
  version: Generated<number>;
}

/** A common search clause's best papers by the keyword engine (search/top-lists.sqlite.ts). */
export interface SearchTopListTable {
  /** "any:model", "title:model": the field and the word's stem. */
  clause: string;
  /** The search version the list was built at. */
  version: number;
  /** JSON [[paper id, score], …], best first. */
  hits: string;
  /** 1 when the list holds every paper with the clause. */
  complete: number;
}

/**
 * Each indexed stem's document frequency at one search version (search/doc-freq.sqlite.ts); the row
 * with the empty term holds that version.
 */
export interface SearchDocFreqTable {
  term: string;
  doc: number;
}

/** Every term of the stored analysed papers, numbered (search/paper-terms.ts). */
export interface SearchTermTable {
  id: Generated<number>;
  term: string;
}

/** A paper's analysed fields as term ids (search/paper-terms.ts). */
export interface PaperTermsTable {
  paper_id: number;
  /** paper.content_hash when analysed; a different current value means the paper changed. */
  content_hash: string;
  /** Varint-encoded term ids: see encodeTerms. */
  terms: Uint8Array;
}
