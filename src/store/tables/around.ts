// Around the paper: key phrases, thumbnails, code repositories, Hugging Face.
import type { ColumnType } from 'kysely';
import type { Timestamp } from '../schema.ts';

export interface PaperSummaryTable {
  paper_id: number;
  /** JSON array of key phrases, best first. */
  key_phrases: string;
  /** One sentence of the abstract ('' when it has none). */
  tldr: string;
  /** paper.content_hash when extracted. */
  source_hash: string;
  computed_at: Timestamp;
  ai_summary: string | null;
  /** JSON array of keywords from the summary model. */
  ai_keywords: string | null;
  ai_model: string | null;
  ai_source_hash: string | null;
  ai_at: Timestamp | null;
  ai_error: string | null;
  /** A failed model call is not retried before this. */
  ai_retry_at: Timestamp | null;
}

export interface PaperThumbnailTable {
  paper_id: number;
  /** ready | failed (retried after retry_at) | unavailable (no PDF, too large: not retried for this version) */
  status: string;
  /** File name under DATA_DIR/thumbnails: the image's content hash and extension. */
  file: string | null;
  width: number | null;
  height: number | null;
  /** The paper version the attempt was for. */
  version: number;
  attempts: ColumnType<number, number | undefined, number>;
  error: string | null;
  retry_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface CodeRepoTable {
  /** The code link as paper_link stores it. */
  url: string;
  /** owner/name as GitHub spells it. */
  full_name: string;
  /** ok | missing (404, not GitHub) | failed (retried after retry_at) */
  status: string;
  stars: number | null;
  pushed_at: Timestamp | null;
  etag: string | null;
  error: string | null;
  fetched_at: Timestamp;
  retry_at: Timestamp | null;
}

export interface PaperHfTable {
  paper_id: number;
  num_comments: ColumnType<number, number | undefined, number>;
  submitter_name: string | null;
  submitter_fullname: string | null;
  github_repo: string | null;
  /** JSON array of 0-based author positions Hugging Face marks hidden. */
  hidden_authors: string | null;
  listed_on: string | null;
  synced_at: Timestamp;
}
