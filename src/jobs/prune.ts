// The `prune-expired` job (hourly in processes that run jobs): each module deletes its own rows that
// expired — sessions, sign-in links, rate-limit windows, unconfirmed digest requests, old outbox mail —
// so tables holding tokens and addresses do not grow forever.
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import { deleteExpiredLoginTokens, deleteExpiredSessions, pruneRateLimits } from '../accounts/index.ts';
import { expireConfirmations } from '../digest/index.ts';
import { pruneMailOutbox } from '../mail/index.ts';

export const PRUNE_JOB = 'prune-expired';
export const PRUNE_CRON = '17 * * * *';

export async function pruneExpired(db: Db, now: Date): Promise<Record<string, number>> {
  const sessions = await deleteExpiredSessions(db, now);
  const loginTokens = await deleteExpiredLoginTokens(db, now);
  await pruneRateLimits(db, now);
  const confirmations = await expireConfirmations(db, now);
  const mail = await pruneMailOutbox(db, now);
  return { sessions, login_tokens: loginTokens, unconfirmed_subscriptions: confirmations.deleted, expired_confirm_links: confirmations.cleared, outbox_mail: mail };
}

export function pruneJob(deps: { db: Db; log: Logger; now: () => Date }) {
  return async (): Promise<void> => {
    const counts = await pruneExpired(deps.db, deps.now());
    deps.log.info('expired_pruned', { job: PRUNE_JOB, ...counts });
  };
}
