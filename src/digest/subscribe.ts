// A subscribe request end to end: record it, then mail the confirmation link (never awaited by the
// caller's response, so answering takes the same time whether or not the address was known).
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { Mailer } from '../mail/index.ts';
import type { SubscribeInput } from './preferences.ts';
import { requestSubscription } from './subscriptions.ts';
import { confirmationMail } from './confirm-mail.ts';

export async function subscribe(db: Db, mailer: Mailer, input: SubscribeInput, ctx: { baseUrl: string; now: Date; log: Logger }): Promise<{ mailed: Promise<void> }> {
  const outcome = await requestSubscription(db, input.email, { frequency: input.frequency, topics: input.topics, minUpvotes: input.minUpvotes }, ctx.now);
  if (!outcome.mail) {
    ctx.log.info('digest_confirmation_throttled', { subscription: 'existing' });
    return { mailed: Promise.resolve() };
  }
  const { subscription, token, change } = outcome;
  const mail = confirmationMail(ctx.baseUrl, subscription.email, token, { frequency: input.frequency, topics: input.topics, minUpvotes: input.minUpvotes }, change);
  const mailed = mailer.send(mail).then(
    () => ctx.log.info('digest_confirmation_sent', { subscription_id: subscription.id }),
    (error: unknown) => ctx.log.warn('digest_confirmation_failed', { subscription_id: subscription.id, error: (error as Error).message }),
  );
  return { mailed };
}
