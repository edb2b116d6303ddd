// Row types of every table, as Kysely sees them: the store's own tables here, each module's in
// tables/ (the SQL that reads and writes them lives with that module), and the Database that joins them.
import type { PaperTable, PaperLinkTable, PaperCategoryTable, PaperAuthorTable } from './tables/papers.ts';
import type { UserAccountTable, LoginTokenTable, UserSessionTable, RateLimitTable, ApiTokenTable } from './tables/accounts.ts';
import type { VoteDayTable, VoteTable, SubmissionTable, PaperModerationTable, PaperPinTable, AuditLogTable } from './tables/community.ts';
import type { EmbeddingCacheTable, PaperEmbeddingTable, PaperTermsTable, SearchDocFreqTable, SearchTermTable, SearchTopListTable } from './tables/search.ts';
import type { HarvestCheckpointTable, HarvestRunTable, HarvestLeaseTable } from './tables/harvest.ts';
import type { SubscriptionTable, DigestContentTable, DigestOutboxTable, MailOutboxTable, DigestRunTable } from './tables/digest.ts';
import type { PaperSummaryTable, PaperThumbnailTable, CodeRepoTable, PaperHfTable } from './tables/around.ts';
import type { CommentTable, CommentReportTable, DiscussionLockTable, UserProfileTable, AuthorClaimTable, ReplyNoticeTable } from './tables/people.ts';
import type { LibraryPaperTable, LibraryTagTable, LibraryTagPaperTable, FollowTable, FeedTokenTable } from './tables/library.ts';

export type * from './tables/papers.ts';
export type * from './tables/accounts.ts';
export type * from './tables/community.ts';
export type * from './tables/search.ts';
export type * from './tables/harvest.ts';
export type * from './tables/digest.ts';
export type * from './tables/around.ts';
export type * from './tables/people.ts';
export type * from './tables/library.ts';

/** Timestamps are ISO-8601 UTC strings in both dialects (TEXT on SQLite, text on PostgreSQL). */
export type Timestamp = string;

// ── store ────────────────────────────────────────────────────────────────
export interface SettingTable {
  key: string;
  value: string;
}

/** Which papers each "pages" version touched, kept by triggers (migration 0902, src/store/page-change.ts). */
export interface PageChangeTable {
  version: number;
  /** 0 for a change that reaches every page. */
  paper_id: number;
  day: string | null;
  level: number;
}

/** One counter per kind of shared data (e.g. "embeddings"), bumped in the writing transaction. */
export interface ChangeVersionTable {
  channel: string;
  version: number;
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
  search_doc_freq: SearchDocFreqTable;
  search_term: SearchTermTable;
  paper_terms: PaperTermsTable;
  page_change: PageChangeTable;
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
