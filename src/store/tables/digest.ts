// Subscriptions, rendered digests and the mail outboxes.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../schema.ts';

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
