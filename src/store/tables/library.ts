// The library: saved papers, tags (collections), follows and private feed links.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../schema.ts';

/** A paper a user saved, with a private note and a read mark. */
export interface LibraryPaperTable {
  user_id: number;
  paper_id: number;
  note: string | null;
  read_at: Timestamp | null;
  saved_at: Timestamp;
  updated_at: Timestamp;
}

/**
 * A user's tag: a named, ordered list of saved papers. A tag with a description and the public flag
 * is what pages call a collection.
 */
export interface LibraryTagTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  public: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LibraryTagPaperTable {
  tag_id: number;
  user_id: number;
  paper_id: number;
  /** Order within the tag, ascending; new papers go last. */
  position: number;
  /** A note shown with the paper in this tag (public when the tag is). */
  note: string | null;
  added_at: Timestamp;
}

export interface FollowTable {
  id: Generated<number>;
  user_id: number;
  /** author | category | search */
  kind: string;
  /** The author's name as written, a category code, or a search query (filters included). */
  value: string;
  /** value folded for matching and uniqueness: lower-cased, accents and extra spaces removed. */
  match_key: string;
  created_at: Timestamp;
}

/** A user's private feed link (see library/feed-tokens.ts). */
export interface FeedTokenTable {
  user_id: number;
  nonce: string;
  /** sha-256 (hex) of the token in the link. */
  token_hash: string;
  created_at: Timestamp;
}
