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

/** One row per name in paper.authors (kept by triggers; read-only for the application). */
export interface PaperAuthorTable {
  paper_id: number;
  position: number;
  name: string;
}

// ── accounts ─────────────────────────────────────────────────────────────
export interface UserAccountTable {
  id: Generated<number>;
  /** Lower-cased; the account's identity. */
  email: string;
  display_name: string | null;
  /** member | curator | admin */
  role: ColumnType<string, string | undefined, string>;
  suspended_at: Timestamp | null;
  suspended_reason: string | null;
  created_at: Timestamp;
  last_signed_in_at: Timestamp | null;
}

export interface LoginTokenTable {
  /** sha-256 (hex) of the token in the emailed link; the token itself is never stored. */
  token_hash: string;
  email: string;
  /** JSON {next?, vote?}: where to go, and a vote to complete, after signing in. */
  intent: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface UserSessionTable {
  /** sha-256 (hex) of the cookie value. */
  token_hash: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface RateLimitTable {
  /** rule:HMAC(key) — IPs and addresses are not stored in the clear. */
  bucket: string;
  window_start: Timestamp;
  hits: number;
}

// ── community ────────────────────────────────────────────────────────────
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
  /** The "embeddings" change version of the write that set this row (see store/change-version.ts). */
  version: Generated<number>;
}

// ── pg / jobs ────────────────────────────────────────────────────────────
/** One counter per kind of shared data (e.g. "embeddings"), bumped in the writing transaction. */
export interface ChangeVersionTable {
  channel: string;
  version: number;
}

/** A common search clause's best papers (search/top-lists.sqlite.ts). */
export interface SearchTopListTable {
  clause: string;
  version: number;
  /** JSON [[paper id, score], …], best first. */
  hits: string;
  complete: number;
}

// ── harvest ──────────────────────────────────────────────────────────────
export interface HarvestCheckpointTable {
  set_spec: string;
  in_progress: ColumnType<number, number | undefined, number>;
  list_from: string | null;
  list_until: string | null;
  resumption_token: string | null;
  list_started_at: Timestamp | null;
  datestamp_reached: string | null;
  pages_done: ColumnType<number, number | undefined, number>;
  harvested_through: string | null;
  updated_at: Timestamp;
}

export interface HarvestRunTable {
  id: Generated<number>;
  /** cli | schedule */
  trigger: string;
  /** running | succeeded | failed | interrupted */
  status: string;
  /** Comma-separated OAI sets. */
  sets: string;
  from_day: string | null;
  until_day: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  pages: ColumnType<number, number | undefined, number>;
  fetched: ColumnType<number, number | undefined, number>;
  new: ColumnType<number, number | undefined, number>;
  updated: ColumnType<number, number | undefined, number>;
  unchanged: ColumnType<number, number | undefined, number>;
  withdrawn: ColumnType<number, number | undefined, number>;
  skipped: ColumnType<number, number | undefined, number>;
  error: string | null;
  problems: ColumnType<string, string | undefined, string>;
}

export interface HarvestLeaseTable {
  name: string;
  owner: string;
  acquired_at: Timestamp;
  expires_at: Timestamp;
}

// ── api ──────────────────────────────────────────────────────────────────
export interface ApiTokenTable {
  id: Generated<number>;
  /** The owner; a plain integer until the user table exists (no foreign key yet). */
  user_id: number;
  name: string;
  /** Hex SHA-256 of the whole token; the token itself is shown once and never stored. */
  token_hash: string;
  /** The first characters of the token (pb_ab12…), so a user can tell tokens apart. */
  token_prefix: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

// ── digest ───────────────────────────────────────────────────────────────
export interface SubscriptionTable {
  id: Generated<number>;
  /** Lower-cased address; one row per address, whatever its status. */
  email: string;
  /** daily | weekly */
  frequency: string;
  /** JSON Topics: {categories, keywords, authors}. */
  topics: string;
  min_upvotes: ColumnType<number, number | undefined, number>;
  /** off | also | only: the account's "for you" papers in the digest (see digest/for-you.ts). */
  for_you: ColumnType<string, string | undefined, string>;
  /** pending | active | unsubscribed | suspended */
  status: string;
  /** JSON preferences asked for by a repeat subscribe, applied when its confirmation link is followed. */
  pending_prefs: string | null;
  /** SHA-256 of the confirmation token; the token itself only ever exists in the mail. */
  confirm_token_hash: string | null;
  confirm_expires_at: Timestamp | null;
  confirm_sent_at: Timestamp | null;
  hard_bounces: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  unsubscribed_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface DigestContentTable {
  id: Generated<number>;
  /** Hash of frequency, period and paper ids: subscribers who get the same papers share one body. */
  content_key: string;
  frequency: string;
  period_key: string;
  period_start: string;
  period_end: string;
  /** JSON array of paper ids, in digest order. */
  paper_ids: string;
  subject: string;
  html: string;
  text: string;
  created_at: Timestamp;
}

export interface DigestOutboxTable {
  id: Generated<number>;
  subscription_id: number;
  frequency: string;
  period_key: string;
  content_id: number;
  /** Stable Message-ID (without brackets): a resend after a crash carries the same one. */
  message_id: string;
  /** pending | claimed | sending | sent | bounced | failed | cancelled */
  state: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  lease_until: Timestamp | null;
  claimed_by: string | null;
  /** 1 when a send was interrupted after being handed to SMTP and had to be sent again. */
  ambiguous: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  updated_at: Timestamp;
}

/** A transactional mail waiting to leave, or its record once sent (see mail/outbox.ts). */
export interface MailOutboxTable {
  id: Generated<number>;
  /** What the mail is for (sign-in, digest-confirmation): for logs and operators. */
  kind: string;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  /** JSON object of extra headers, or null. */
  headers: string | null;
  /** Stable Message-ID (without brackets): a resend after a crash carries the same one. */
  message_id: string;
  /** pending | claimed | sending | sent | bounced | failed | expired */
  state: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  /** After this the mail is useless (a sign-in link that no longer works) and is not sent. */
  expires_at: Timestamp | null;
  claimed_by: string | null;
  lease_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface DigestRunTable {
  frequency: string;
  period_key: string;
  started_at: Timestamp;
  rendered_at: Timestamp | null;
}

// ── around the paper: key phrases, thumbnails, code, Hugging Face ───────
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

// ── comments and people ──────────────────────────────────────────────────
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

// ── library and follows ─────────────────────────────────────────────────
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

export interface Database {
  setting: SettingTable;
  paper: PaperTable;
  paper_link: PaperLinkTable;
  paper_category: PaperCategoryTable;
  paper_author: PaperAuthorTable;
  user_account: UserAccountTable;
  login_token: LoginTokenTable;
  user_session: UserSessionTable;
  rate_limit: RateLimitTable;
  vote: VoteTable;
  vote_day: VoteDayTable;
  submission: SubmissionTable;
  paper_moderation: PaperModerationTable;
  paper_pin: PaperPinTable;
  audit_log: AuditLogTable;
  embedding_cache: EmbeddingCacheTable;
  paper_embedding: PaperEmbeddingTable;
  subscription: SubscriptionTable;
  digest_content: DigestContentTable;
  digest_outbox: DigestOutboxTable;
  digest_run: DigestRunTable;
  mail_outbox: MailOutboxTable;
  change_version: ChangeVersionTable;
  search_top_list: SearchTopListTable;
  harvest_checkpoint: HarvestCheckpointTable;
  harvest_run: HarvestRunTable;
  harvest_lease: HarvestLeaseTable;
  api_token: ApiTokenTable;
  paper_summary: PaperSummaryTable;
  paper_thumbnail: PaperThumbnailTable;
  code_repo: CodeRepoTable;
  paper_hf: PaperHfTable;
  comment: CommentTable;
  comment_report: CommentReportTable;
  discussion_lock: DiscussionLockTable;
  user_profile: UserProfileTable;
  author_claim: AuthorClaimTable;
  reply_notice: ReplyNoticeTable;
  library_paper: LibraryPaperTable;
  library_tag: LibraryTagTable;
  library_tag_paper: LibraryTagPaperTable;
  follow: FollowTable;
  feed_token: FeedTokenTable;
}
