// Who an outbox row goes to, whether they still want it, and the personal links in its footer and
// headers. Digest rows go to a subscription; reply rows to an account that turned reply mail on.
import type { ClaimedRow } from './claims.ts';
import type { DigestPersonal } from './render.ts';
import { describeTopics, type Topics } from './preferences.ts';
import { manageUrl, replyUnsubscribeHeaders, replyUnsubscribeUrl, unsubscribeHeaders, unsubscribeUrl } from './links.ts';

export interface Recipient {
  /** False when the subscription ended or reply mail was turned off since the row was written: it is cancelled. */
  wanted: boolean;
  who: DigestPersonal;
  headers: Record<string, string>;
}

export function recipientOf(row: ClaimedRow, opts: { baseUrl: string; secret: string; mailFrom: string }): Recipient {
  if (row.kind === 'reply') {
    const user = { id: row.user_id ?? 0, email: row.email };
    return {
      wanted: row.user_id !== null && row.notify_replies === 1 && row.suspended_at === null,
      who: { email: row.email, manageUrl: `${opts.baseUrl}/account#notifications`, unsubscribeUrl: replyUnsubscribeUrl(opts.baseUrl, opts.secret, user), reason: 'mail about replies in paperboy discussions you take part in' },
      headers: replyUnsubscribeHeaders(opts.baseUrl, opts.secret, opts.mailFrom, user),
    };
  }
  const sub = { id: row.subscription_id ?? 0, email: row.email };
  const topics = JSON.parse(row.topics ?? '{}') as Topics;
  return {
    wanted: row.status === 'active',
    who: {
      email: row.email,
      manageUrl: manageUrl(opts.baseUrl, opts.secret, sub),
      unsubscribeUrl: unsubscribeUrl(opts.baseUrl, opts.secret, sub),
      reason: `the ${row.frequency} paperboy digest (${describeTopics(topics)}${(row.min_upvotes ?? 0) > 0 ? `, at least ${row.min_upvotes} upvotes` : ''})`,
    },
    headers: unsubscribeHeaders(opts.baseUrl, opts.secret, opts.mailFrom, sub),
  };
}
