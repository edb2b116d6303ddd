// Comments, reports, locks, profiles, authorship claims and reply notices.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../schema.ts';

export interface CommentTable {
  id: Generated<number>;
  paper_id: number;
  user_id: number;
  /** The thread a reply belongs to: always a top-level comment. */
  parent_id: number | null;
  body: string;
  /** 1 while a new account's comment waits for a curator. */
  held: ColumnType<number, number | undefined, number>;
  hidden_at: Timestamp | null;
  deleted_at: Timestamp | null;
  created_at: Timestamp;
  edited_at: Timestamp | null;
  /** A thread's newest reply time (or its own creation time). */
  activity_at: Timestamp;
}

export interface CommentReportTable {
  comment_id: number;
  user_id: number;
  reason: string;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
}

export interface DiscussionLockTable {
  paper_id: number;
  locked_by: number | null;
  created_at: Timestamp;
}

export interface UserProfileTable {
  user_id: number;
  handle: string;
  show_upvotes: ColumnType<number, number | undefined, number>;
  notify_replies: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface AuthorClaimTable {
  id: Generated<number>;
  paper_id: number;
  /** The name exactly as printed in the paper's author list. */
  author_name: string;
  user_id: number;
  /** pending | approved | rejected */
  status: string;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: number | null;
}

export interface ReplyNoticeTable {
  user_id: number;
  thread_id: number;
  /** Id of the newest reply already mailed about (or that existed when the reader joined). */
  notified_through: number;
  last_sent_at: Timestamp | null;
}
