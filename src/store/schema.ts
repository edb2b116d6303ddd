// Row types of every table, as Kysely sees them. Each module's tables sit in their own section;
// the SQL that reads and writes them lives with that module.
import type { ColumnType, Generated } from 'kysely';

/** Timestamps are ISO-8601 UTC strings in both dialects (TEXT on SQLite, text on PostgreSQL). */
export type Timestamp = string;

// ── store ────────────────────────────────────────────────────────────────
export interface SettingTable {
  key: string;
  value: string;
}

// ── papers ───────────────────────────────────────────────────────────────
export interface PaperTable {
  id: Generated<number>;
  arxiv_id: string;
  version: number;
  title: string;
  abstract: string;
  /** JSON array of author names, in order. */
  authors: string;
  /** Authors joined with ", " — what keyword search indexes. */
  authors_text: string;
  /** JSON array of arXiv category codes, primary first. */
  categories: string;
  primary_category: string;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  license: string | null;
  submitted_at: Timestamp | null;
  updated_at: Timestamp | null;
  /** UTC day (YYYY-MM-DD) arXiv announced the paper; listings and digests are keyed by it. */
  announced_on: string;
  withdrawn: ColumnType<number, number | undefined, number>;
  /** Upvotes imported from Hugging Face daily_papers: a prior signal, shown apart from local votes. */
  hf_upvotes: ColumnType<number, number | undefined, number>;
  /** Hash of the stored metadata, so an identical re-import is detected without a field-by-field diff. */
  content_hash: string;
  created_at: Timestamp;
  modified_at: Timestamp;
}

export interface PaperLinkTable {
  paper_id: number;
  /** code | project | hf_model | hf_dataset | hf_space */
  kind: string;
  url: string;
  position: number;
}

export interface PaperCategoryTable {
  paper_id: number;
  category: string;
}

// ── search: embeddings ───────────────────────────────────────────────────
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
}

export interface Database {
  setting: SettingTable;
  paper: PaperTable;
  paper_link: PaperLinkTable;
  paper_category: PaperCategoryTable;
  embedding_cache: EmbeddingCacheTable;
  paper_embedding: PaperEmbeddingTable;
}
