// Votes and their per-day totals, submissions, moderation, pins and the audit log.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../schema.ts';

/** Votes per paper per UTC day, kept by triggers on vote (migration 0901). */
export interface VoteDayTable {
  day: string;
  paper_id: number;
  n: number;
}

export interface VoteTable {
  user_id: number;
  paper_id: number;
  created_at: Timestamp;
}

export interface SubmissionTable {
  paper_id: number;
  user_id: number;
  /** UTC day the paper was submitted: it is listed on that day. */
  listed_on: string;
  created_at: Timestamp;
}

export interface PaperModerationTable {
  paper_id: number;
  hidden: ColumnType<number, number | undefined, number>;
  votes_locked: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface PaperPinTable {
  /** The listing day the paper is pinned to (YYYY-MM-DD). */
  day: string;
  paper_id: number;
  pinned_by: number | null;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  /** The actor as shown: an email, or "cli" for `paperboy admin`. */
  actor_label: string;
  action: string;
  /** paper:2503.01234 | user:ada@example.org */
  target: string;
  reason: string;
  created_at: Timestamp;
}
