// Papers, their links, categories and the author index.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../schema.ts';

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

/** One row per name in paper.authors (kept by triggers; read-only for the application). */
export interface PaperAuthorTable {
  paper_id: number;
  position: number;
  name: string;
}
