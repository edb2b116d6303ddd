// A subscribe request end to end: record it and queue the confirmation mail in one transaction, so
// an acknowledged request always gets its mail (the outbox retries until SMTP takes it). The answer
// takes the same time whether or not the address was known.
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import { queueMail } from '../mail/index.ts';
import type { SubscribeInput } from './preferences.ts';
import { CONFIRM_TTL_MS, recordSubscribeRequest } from './subscriptions.ts';
import { confirmationMail } from './confirm-mail.ts';

/** Records the request; true when a confirmation mail was queued (call MailSender.kick() then). */
export async function subscribe(db: Db, input: SubscribeInput, ctx: { baseUrl: string; now: Date; log: Logger }): Promise<boolean> {
  const prefs = { frequency: input.frequency, topics: input.topics, minUpvotes: input.minUpvotes };
  const queued = await db.transaction().execute(async (tx) => {
    const outcome = await recordSubscribeRequest(tx, input.email, prefs, ctx.now);
    if (!outcome.mail) return undefined;
    const mail = confirmationMail(ctx.baseUrl, outcome.subscription.email, outcome.token, prefs, outcome.change);
    await queueMail(tx, { ...mail, kind: 'digest-confirmation', expiresAt: new Date(ctx.now.getTime() + CONFIRM_TTL_MS) }, ctx);
    return outcome.subscription.id;
  });
  if (queued === undefined) ctx.log.info('digest_confirmation_throttled', { subscription: 'existing' });
  else ctx.log.info('digest_confirmation_queued', { subscription_id: queued });
  return queued !== undefined;
}
